using Keywarden.Core.Audit;
using Keywarden.Storage;

namespace Keywarden.Gateway.Tests.Audit.Support;

/// <summary>
/// A real audit store behind a gate and a failure switch the test controls: appends wait while
/// the gate is closed, and throw while <see cref="Failing"/> is set.
/// </summary>
internal sealed class ControlledStore(IAuditStore inner) : IAuditStore
{
    private TaskCompletionSource _gate = Opened();
    private int _calls;

    /// <summary>Completes when an append has reached the gate.</summary>
    public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public volatile bool Failing;

    /// <summary>An append held at the closed gate fails with a storage error (not a cancellation) when it is cancelled, as a driver may.</summary>
    public volatile bool FailsWhenCancelled;

    public int Calls => Volatile.Read(ref _calls);

    public void Close()
    {
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Open() => _gate.TrySetResult();

    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, AuditFlush.Disk, cancellationToken);

    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditFlush flush, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Entered.TrySetResult();
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (FailsWhenCancelled)
        {
            throw new StorageException(StorageError.Unavailable, "the write was interrupted (simulated)");
        }

        if (Failing)
        {
            throw new StorageException(StorageError.Unavailable, "the disk is full (simulated)");
        }

        return await inner.AppendAsync(entries, flush, cancellationToken);
    }

    public Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(afterSequence, limit, cancellationToken);

    public Task<long> SequenceBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken = default) =>
        inner.SequenceBeforeAsync(time, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> TailAsync(int count, CancellationToken cancellationToken = default) =>
        inner.TailAsync(count, cancellationToken);

    public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

    public Task<AuditCheckpoint?> CheckpointAsync(string source, CancellationToken cancellationToken = default) => inner.CheckpointAsync(source, cancellationToken);

    public Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default) => inner.ListCheckpointsAsync(cancellationToken);

    public Task<DateTimeOffset> GetAuditCoverageStartAsync(CancellationToken cancellationToken = default) => inner.GetAuditCoverageStartAsync(cancellationToken);

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
