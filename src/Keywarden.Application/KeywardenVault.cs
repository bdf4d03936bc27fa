using Keywarden.Core.Crypto;
using Keywarden.Core.Providers;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// An opened store with its master key checked: the entry point of every command that reads or
/// writes keys and tokens.
/// </summary>
public sealed class KeywardenVault : IAsyncDisposable
{
    private readonly IKeyVerifier _verifier;
    private readonly TimeProvider _time;

    private KeywardenVault(IKeywardenStore store, MasterKey masterKey, IKeyVerifier verifier, TimeProvider time)
    {
        _verifier = verifier;
        _time = time;
        Store = store;
        MasterKey = masterKey;
        Upstreams = new UpstreamService(store, masterKey, verifier, time);
        Tokens = new TokenService(store, time);
        Notifications = new NotificationService(store, masterKey, time, AdminAudit.DefaultActor);
    }

    /// <summary>The underlying store.</summary>
    public IKeywardenStore Store { get; }

    /// <summary>The master key in use.</summary>
    public MasterKey MasterKey { get; }

    /// <summary>Upstreams and their keys.</summary>
    public UpstreamService Upstreams { get; }

    /// <summary>How keys are checked with their provider (the rotation service of the admin API checks new and replaced keys with it).</summary>
    public IKeyVerifier Verifier => _verifier;

    /// <summary>Gateway tokens.</summary>
    public TokenService Tokens { get; }

    /// <summary>Where alerts are sent (webhooks).</summary>
    public NotificationService Notifications { get; }

    /// <summary>Upstreams and their keys, with <paramref name="actor"/> named in every audit record (the admin API's per-request service).</summary>
    public UpstreamService UpstreamsFor(AdminActor actor) => new(Store, MasterKey, _verifier, _time, actor);

    /// <summary>Gateway tokens, with <paramref name="actor"/> named in every audit record.</summary>
    public TokenService TokensFor(AdminActor actor) => new(Store, _time, actor);

    /// <summary>Where alerts are sent, with <paramref name="actor"/> named in every audit record.</summary>
    public NotificationService NotificationsFor(AdminActor actor) => new(Store, MasterKey, _time, actor);

    /// <summary>Anomaly alerts, with <paramref name="actor"/> named as who acknowledged or resolved one.</summary>
    public AlertService AlertsFor(AdminActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(Store, _time, actor.Name);
    }

    /// <summary>
    /// Loads the master key, finishes a master key rotation interrupted after its database commit,
    /// and checks the key is the one this store was encrypted with. Takes ownership of <paramref name="store"/>.
    /// </summary>
    public static async Task<KeywardenVault> OpenAsync(
        IKeywardenStore store, MasterKeySource keySource, IKeyVerifier verifier, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keySource);
        try
        {
            var recorded = await store.GetMasterKeyIdAsync(cancellationToken);
            if (recorded is not null && !keySource.FromEnvironment)
            {
                MasterKeyRotation.Recover(keySource, recorded);
            }

            var masterKey = keySource.Load();
            if (recorded is not null && recorded != masterKey.Id)
            {
                masterKey.Dispose();
                throw new VaultException(VaultErrorCode.WrongMasterKey, recorded, masterKey.Id);
            }

            return new KeywardenVault(store, masterKey, verifier, time);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        MasterKey.Dispose();
        await Store.DisposeAsync();
    }
}
