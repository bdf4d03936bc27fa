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
    private KeywardenVault(IKeywardenStore store, MasterKey masterKey, IKeyVerifier verifier, TimeProvider time)
    {
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

    /// <summary>Gateway tokens.</summary>
    public TokenService Tokens { get; }

    /// <summary>Where alerts are sent (webhooks).</summary>
    public NotificationService Notifications { get; }

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
