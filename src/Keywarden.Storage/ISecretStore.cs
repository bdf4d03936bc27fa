using Keywarden.Core.Audit;
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
    /// and records <paramref name="newMasterKeyId"/>, with the audit record <paramref name="audit"/> makes of the number of
    /// secrets re-wrapped, all in one transaction: either every secret moves to the new master key, on record, or none does.
    /// Returns that number.
    /// </summary>
    Task<int> RewrapAllAsync(
        Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, Func<int, AuditEntry> audit, CancellationToken cancellationToken = default);
}
