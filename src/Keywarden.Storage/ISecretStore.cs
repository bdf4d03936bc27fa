using Keywarden.Core.Crypto;

namespace Keywarden.Storage;

/// <summary>The store-wide facts about encryption at rest.</summary>
public interface ISecretStore
{
    /// <summary>Id of the master key that wraps every data key in this store, or null for a store without secrets yet.</summary>
    Task<string?> GetMasterKeyIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Records the master key id of a new store. Fails if a different id is already recorded.</summary>
    Task SetMasterKeyIdAsync(string masterKeyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-wraps every sealed secret with <paramref name="rewrap"/> (given the record id and the sealed secret)
    /// and records <paramref name="newMasterKeyId"/>, all in one transaction: either every secret moves
    /// to the new master key or none does.
    /// </summary>
    Task<int> RewrapAllAsync(Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, CancellationToken cancellationToken = default);
}
