using Keywarden.Core.Audit;

// In the Audit folder with the rest of the audit story, but in the namespace of the other store interfaces.
#pragma warning disable IDE0130
namespace Keywarden.Storage;
#pragma warning restore IDE0130

/// <summary>The hash-chained audit log: append-only, read in sequence order.</summary>
public interface IAuditStore
{
    /// <summary>
    /// Appends <paramref name="entries"/> in one transaction: reads the head (last sequence and hash),
    /// links each entry after it with <see cref="AuditChain.Link"/> and inserts it. Safe against
    /// concurrent appenders, in this process or another: they queue on the write lock. Returns the
    /// records as stored, in order, once the disk has confirmed them (<see cref="AuditFlush.Disk"/>).
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="AppendAsync(IReadOnlyList{AuditEntry}, CancellationToken)"/>, returning once the records are as far as
    /// <paramref name="flush"/> says. A batch with an admin entry is always flushed to disk.
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditFlush flush, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> records with a sequence above <paramref name="afterSequence"/>, ascending.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// A sequence to read from (with <see cref="ReadAsync"/>) to get the records made since <paramref name="time"/>: the last
    /// record before it, or 0. Records are appended in about the order they happened, so the answer is found by bisection
    /// and may be off by the few records a batch holds out of order: good for "the last 28 days", not for an exact cut.
    /// </summary>
    Task<long> SequenceBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="count"/> records, ascending.</summary>
    Task<IReadOnlyList<AuditRecord>> TailAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Every record, ascending, read in pages so that a large log is never held in memory.</summary>
    IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a checkpoint of the chain's head as it is now (see <see cref="AuditCheckpoint"/>) and returns it; null when
    /// the log is empty. Stores also record one with every admin action and every 1000th record.
    /// </summary>
    Task<AuditCheckpoint?> CheckpointAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>Every checkpoint recorded in the store, by sequence.</summary>
    Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Since when the log records admin actions: upstreams, tokens, rotations and sinks created before then (in a store
    /// older than its audit log) have no record of their creation, and only those may lack one.
    /// </summary>
    Task<DateTimeOffset> GetAuditCoverageStartAsync(CancellationToken cancellationToken = default);
}
