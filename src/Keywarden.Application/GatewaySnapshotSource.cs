using Keywarden.Core.Crypto;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// A gateway's snapshots from a store and the master key: one read of the store per snapshot, one decryption per
/// upstream. An upstream whose key cannot be opened is reported, not fatal: the others, and every revocation, still load.
/// </summary>
public sealed class GatewaySnapshotSource : IGatewaySnapshotSource
{
    private readonly ISnapshotStore _snapshots;
    private readonly MasterKey _masterKey;

    /// <param name="snapshots">Where the snapshots are read.</param>
    /// <param name="changes">The change feed of the same store.</param>
    /// <param name="masterKey">Opens the upstream keys. Owned by the caller, who keeps it alive as long as this source.</param>
    public GatewaySnapshotSource(ISnapshotStore snapshots, IStoreChanges changes, MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(masterKey);
        _snapshots = snapshots;
        Changes = changes;
        _masterKey = masterKey;
    }

    /// <summary>The snapshots and the change feed of one store.</summary>
    public GatewaySnapshotSource(IKeywardenStore store, MasterKey masterKey)
        : this(store, store, masterKey)
    {
    }

    /// <inheritdoc />
    public IStoreChanges Changes { get; }

    /// <inheritdoc />
    public async Task<GatewaySnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await _snapshots.ReadSnapshotAsync(cancellationToken);
        var upstreams = new List<GatewayUpstream>(snapshot.Upstreams.Count);
        var unavailable = new List<UnavailableUpstream>();
        foreach (var (upstream, current) in snapshot.Upstreams)
        {
            if (current is null)
            {
                unavailable.Add(new UnavailableUpstream(upstream, "it has no current key"));
                continue;
            }

            try
            {
                upstreams.Add(new GatewayUpstream(upstream, current.Id, UpstreamService.Open(_masterKey, current, upstream.Kind)));
            }
            catch (Exception e) when (e is VaultException or FormatException)
            {
                // Both messages name the key and what is wrong with it, never its value.
                unavailable.Add(new UnavailableUpstream(upstream, e.Message));
            }
        }

        return new GatewaySnapshot(snapshot.Revision, upstreams, unavailable, snapshot.Tokens);
    }
}
