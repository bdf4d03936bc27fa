namespace Keywarden.Storage;

/// <summary>
/// Everything a gateway serves from, read in one go: so that a gateway (one, or several sharing a database) loads its
/// whole cache with one read per change, never one read per upstream or per request.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>
    /// Every upstream in use with its current key, and every token (revoked and replaced ones included, so that a
    /// gateway can tell them from unknown ones), all as of one revision, which the snapshot carries.
    /// </summary>
    Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default);
}
