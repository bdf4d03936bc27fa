namespace Keywarden.Storage;

/// <summary>Upstreams and their sealed keys.</summary>
public interface IUpstreamStore
{
    /// <summary>Adds an upstream with its first (current) key in one transaction.</summary>
    /// <exception cref="StorageException">An upstream of that name exists (<see cref="StorageError.Conflict"/>).</exception>
    Task AddUpstreamAsync(UpstreamRecord upstream, UpstreamKeyRecord currentKey, CancellationToken cancellationToken = default);

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
    /// Removes an upstream, its keys (ciphertexts included) and revokes its tokens, in one transaction.
    /// Returns false when no upstream has that name.
    /// </summary>
    Task<bool> RemoveUpstreamAsync(string name, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
}
