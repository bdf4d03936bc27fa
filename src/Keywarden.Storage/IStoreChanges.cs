namespace Keywarden.Storage;

/// <summary>
/// The store's change feed: a revision that moves with every write to upstreams, their keys, tokens, rotations and sinks
/// (added, removed, revoked, verified, re-wrapped, stepped), in the same transaction as the write, and a way to wait for
/// it to move. Audit appends leave it alone. Each instance of a store sees the writes of every other instance on the same
/// database: SQLite serves the wait by polling the revision, PostgreSQL will by <c>LISTEN/NOTIFY</c>.
/// </summary>
public interface IStoreChanges
{
    /// <summary>
    /// The revision now. Cheap to read. Compare it for change only: one write may move it by more than one.
    /// </summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes with the revision once it differs from <paramref name="afterRevision"/>: at once when it already does,
    /// else as soon as the engine learns of a write (within one poll interval for SQLite). It never completes without a
    /// change, and holds no thread while it waits.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="StorageException">The store could not be read.</exception>
    Task<long> WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken = default);
}
