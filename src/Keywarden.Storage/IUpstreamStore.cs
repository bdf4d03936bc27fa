using Keywarden.Core.Audit;

namespace Keywarden.Storage;

/// <summary>
/// Upstreams and their sealed keys. Adding and removing an upstream append their <c>audit</c> record to the audit log
/// in the same transaction as the change.
/// </summary>
public interface IUpstreamStore
{
    /// <summary>Adds an upstream with its first (current) key and appends <paramref name="audit"/>, in one transaction.</summary>
    /// <exception cref="StorageException">An upstream of that name exists (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task AddUpstreamAsync(UpstreamRecord upstream, UpstreamKeyRecord currentKey, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The upstream of that name, or null.</summary>
    Task<UpstreamRecord?> FindUpstreamAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The upstream of that id, or null.</summary>
    Task<UpstreamRecord?> GetUpstreamAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>All upstreams, ordered by name.</summary>
    Task<IReadOnlyList<UpstreamRecord>> ListUpstreamsAsync(CancellationToken cancellationToken = default);

    /// <summary>The keys of an upstream (current first, then pending, then previous).</summary>
    Task<IReadOnlyList<UpstreamKeyRecord>> ListKeysAsync(string upstreamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored key whose <see cref="UpstreamKeyRecord.Fingerprint"/> (hex SHA-256 of the key) is
    /// <paramref name="fingerprint"/>, or null: how the scanner recognises a leaked key without decrypting anything.
    /// When several upstreams hold the same key, a current key is preferred.
    /// </summary>
    Task<UpstreamKeyRecord?> FindKeyByFingerprintAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Records a successful verification of a key (and the account it proved).</summary>
    Task MarkVerifiedAsync(string keyId, string? accountId, DateTimeOffset verifiedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an upstream, its keys (ciphertexts included) and revokes its tokens, and appends <paramref name="audit"/>,
    /// in one transaction. Returns false (and appends nothing) when no upstream has that name.
    /// </summary>
    Task<bool> RemoveUpstreamAsync(string name, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken = default);
}
