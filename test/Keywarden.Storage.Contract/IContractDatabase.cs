namespace Keywarden.Storage.Contract;

/// <summary>
/// One empty database of the engine under test, made for one contract test and dropped at its end: all a contract
/// needs to know of an engine.
/// </summary>
public interface IContractDatabase : IAsyncDisposable
{
    /// <summary>
    /// Opens a store on this database, migrated and ready. Every call gives a new instance, as a second process or
    /// gateway instance would open; the database disposes of the instances it opened.
    /// </summary>
    Task<IKeywardenStore> OpenAsync();

    /// <summary>
    /// Whether the database still holds the key <paramref name="keyId"/> in any form, looked at below the store's API:
    /// a removed key must be deleted (ciphertext included), not hidden.
    /// </summary>
    Task<bool> HoldsKeyAsync(string keyId);

    /// <summary>
    /// Makes the database refuse every record appended to the audit log from now on, below the store's API (as a full
    /// disk or a damaged log would, as far as the store can tell), for the stores opened on it and those opened later.
    /// </summary>
    Task RefuseAuditAppendsAsync();
}
