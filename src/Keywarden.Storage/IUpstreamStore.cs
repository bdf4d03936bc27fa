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

    /// <summary>Records a successful verification of a key (and the account it proved).</summary>
    Task MarkVerifiedAsync(string keyId, string? accountId, DateTimeOffset verifiedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an upstream, its keys (ciphertexts included) and revokes its tokens, in one transaction.
    /// Returns false when no upstream has that name.
    /// </summary>
    Task<bool> RemoveUpstreamAsync(string name, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
}
