using Keywarden.Storage;

namespace Keywarden.Gateway.Audit;

/// <summary>Settings of the <see cref="AuditQueue"/>. Checked when the queue is created.</summary>
public sealed class AuditQueueOptions
{
    /// <summary>Entries that may wait to be written. When they are this many, new entries are refused (or dropped, fail-open). Default 10 000.</summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>Most entries written in one transaction. Default 256.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// The longest an entry waits for others to share its transaction (fewer, larger commits under load; spooled entries
    /// are already safe). Zero writes as soon as the writer is free. A flush, a <see cref="AuditQueue.WriteAsync"/>
    /// waiting for its entry, or shutdown cuts it short. Default 50 ms.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Serve traffic even when audit records cannot be written: <see cref="AuditQueue.TryEnqueue"/>
    /// then always returns true and counts what it could not keep. Off by default ("audit or refuse");
    /// turning it on is itself recorded in the audit log.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>
    /// How far a batch must get before its entries count as written (and the requests waiting for them are answered).
    /// Default <see cref="AuditFlush.OperatingSystem"/>: a record survives a crash of Keywarden; <see cref="AuditFlush.Disk"/>
    /// also a power loss, at the cost of a disk round trip in every request's latency.
    /// </summary>
    public AuditFlush Flush { get; set; } = AuditFlush.OperatingSystem;

    /// <summary>Wait before the first retry of a failed write; doubles up to <see cref="MaxRetryDelay"/>. Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between retries of a failed write. Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long disposing waits for the last entries to be written before it gives up and logs how many were lost. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws on a setting that cannot work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Names the setting.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1, nameof(MaxBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushInterval, TimeSpan.Zero, nameof(FlushInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
    }
}
