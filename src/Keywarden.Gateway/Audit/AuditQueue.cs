using System.Collections.Concurrent;
using Keywarden.Core.Audit;
using Keywarden.Storage;
using Keywarden.Storage.Audit;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Audit;

/// <summary>
/// Takes audit entries off the gateway's request threads: enqueueing never blocks, takes no lock and
/// never touches the database; one writer thread of its own drains the queue in batches into
/// <see cref="IAuditStore.AppendAsync(IReadOnlyList{AuditEntry}, AuditFlush, CancellationToken)"/> (group commit: whatever arrived while one transaction was being
/// written goes into the next). <see cref="WriteAsync"/> completes when its entry is durable, so the
/// gateway holds each response until its record is on disk and "audit or refuse" holds across a crash;
/// <see cref="TryEnqueue"/> does not wait. When the queue is full or the store is failing,
/// <see cref="HasRoom"/> is false and the gateway answers 503, unless <see cref="AuditQueueOptions.FailOpen"/>.
/// A failed batch is retried with backoff until it is written; an accepted entry is only ever lost at
/// shutdown past <see cref="AuditQueueOptions.ShutdownTimeout"/>, and then the count is logged.
/// </summary>
/// <remarks>
/// The writer is a dedicated thread, not a thread-pool task: an append hashes, inserts and waits for the
/// disk synchronously, and on a thread-pool worker it would take a worker away from the requests for as
/// long as the disk takes. Requests and writer share no lock: entries go through a lock-free queue, and
/// a request wakes the writer (one futex call) only when the writer sleeps for want of entries. Under
/// load the writer is always writing or lingering, so requests never pay for a wake-up.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the gateway codes against this name.")]
public sealed class AuditQueue : IAsyncDisposable
{
    private const int New = 0;
    private const int Running = 1;
    private const int Stopping = 2;

    private readonly IAuditStore _store;
    private readonly AuditSpool? _spool;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditQueue> _logger;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly Signal _signal = new();
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abandon = new();
    private readonly Lock _disposeLock = new();
    private readonly int _capacity;
    private readonly int _maxBatch;
    private readonly TimeSpan _flushInterval;
    private readonly bool _failOpen;
    private readonly AuditFlush _flush;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeSpan _shutdownTimeout;

    private TaskCompletionSource _progress = NewSignal();
    private int _queued;
    private int _idle;
    private int _flushRequested;
    private int _lingering;
    private int _timerArmed;
    private int _state;
    private Task? _disposal;
    private long _accepted;
    private long _written;
    private long _lost;
    private long _dropped;
    private long _droppedReported;
    private volatile bool _healthy = true;
    private long _appendStarted;
    private long _lastCommitTicks;
    private int _lastCommitRecords;
    private long _lastCommitEnded;
    private string? _lastFailure;
    private long _lastSequence;
    private long _spoolRetryAt;
    private string? _spoolFailure;

    /// <param name="store">Where the records go.</param>
    /// <param name="options">Capacity, batching, retries, fail-open, flush.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where the queue logs (counts and durations, never contents).</param>
    /// <param name="spool">
    /// Where <see cref="TrySpool"/> keeps each entry until the store has it; the queue owns it from now on. Null: no
    /// spool, and a request that needs its record durable waits for the store (<see cref="WriteAsync"/>).
    /// </param>
    public AuditQueue(IAuditStore store, AuditQueueOptions options, TimeProvider time, ILogger<AuditQueue> logger, AuditSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _spool = spool;
        _time = time;
        _logger = logger;
        _capacity = options.Capacity;
        _maxBatch = options.MaxBatch;
        _flushInterval = options.FlushInterval;
        _failOpen = options.FailOpen;
        _flush = options.Flush;
        _retryDelay = options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        _shutdownTimeout = options.ShutdownTimeout;

        if (_failOpen)
        {
            AuditLog.FailOpen(_logger);
            Accept(
                new Pending(AuditEntry.ForAdmin(
                    time.GetUtcNow(),
                    Environment.UserName,
                    "audit.fail-open",
                    "audit",
                    "the audit queue was started fail-open: requests are served even when their audit records cannot be written")),
                checkCapacity: true);
        }
    }

    /// <summary>False from a failed write until the next successful one.</summary>
    public bool Healthy => _healthy;

    /// <summary>
    /// True when a request may be admitted: the store is not failing and fewer than <see cref="AuditQueueOptions.Capacity"/>
    /// entries wait. Its record then goes in through <see cref="WriteAsync"/>, which does not look at the capacity again.
    /// </summary>
    public bool HasRoom => _healthy && Depth < _capacity && SpoolWritable;

    /// <summary>True when records are made durable in the spool (<see cref="TrySpool"/>) rather than by waiting for the store.</summary>
    public bool Spooling => _spool is not null;

    /// <summary>The sequence of the last record this queue wrote (0 before the first): a lower bound for what comes next.</summary>
    public long LastWrittenSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>False for a second after a spool write failed (a full disk): requests are refused meanwhile, not each left unanswered.</summary>
    private bool SpoolWritable
    {
        get
        {
            var retryAt = Interlocked.Read(ref _spoolRetryAt);
            return retryAt == 0 || _time.GetTimestamp() >= retryAt;
        }
    }

    /// <summary>True when entries cannot be written and requests are served anyway (<see cref="AuditQueueOptions.FailOpen"/>).</summary>
    public bool FailOpen => _failOpen;

    /// <summary>How long the last successful append took (its transaction, from the write lock to the commit on disk).</summary>
    public TimeSpan LastCommitDuration => TimeSpan.FromTicks(Interlocked.Read(ref _lastCommitTicks));

    /// <summary>Entries accepted and not yet written (the batch being written included).</summary>
    public int Depth => (int)Math.Clamp(Interlocked.Read(ref _accepted) - Interlocked.Read(ref _written) - Interlocked.Read(ref _lost), 0, int.MaxValue);

    /// <summary>Entries written to the store since the queue was created.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Fail-open only: entries that were not kept because the queue was full or shutting down.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>For tests with a fake clock: true while the writer waits for a batch to fill, its timer already set.</summary>
    internal bool Lingering => Volatile.Read(ref _timerArmed) == 1;

    /// <summary>Starts the background writer. Once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Start()
    {
        var previous = Interlocked.CompareExchange(ref _state, Running, New);
        ObjectDisposedException.ThrowIf(previous == Stopping, this);
        if (previous != New)
        {
            throw new InvalidOperationException("the audit queue is already started");
        }

        StartWriter();
    }

    /// <summary>
    /// Queues an entry without blocking. False when the entry will not be recorded (queue full,
    /// store failing, or shutting down) and fail-open is off: the caller must refuse the request.
    /// With fail-open, always true; what could not be kept is counted in <see cref="Dropped"/> and logged.
    /// </summary>
    /// <exception cref="ArgumentException">The entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>): a bug in the caller.</exception>
    public bool TryEnqueue(AuditEntry entry)
    {
        AuditChain.ThrowIfInvalid(entry);
        if ((_healthy || _failOpen) && Accept(new Pending(entry), checkCapacity: true))
        {
            return true;
        }

        if (_failOpen)
        {
            Interlocked.Increment(ref _dropped);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Writes the record of an admitted request to the spool, on the caller's thread, and queues it for the store: when
    /// this returns true the record survives a crash of this process, and the answer may go. False when it could not be
    /// spooled (the disk is full): the caller must not answer as if it were recorded. Only with a spool (<see cref="Spooling"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>): a bug in the caller.</exception>
    /// <exception cref="InvalidOperationException">The queue has no spool.</exception>
    public bool TrySpool(AuditEntry entry)
    {
        AuditChain.ThrowIfInvalid(entry);
        var spool = _spool ?? throw new InvalidOperationException("this audit queue has no spool");
        object file;
        try
        {
            file = spool.Append(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _spoolFailure = e.GetType().Name;
            Interlocked.Exchange(ref _spoolRetryAt, _time.GetTimestamp() + _time.TimestampFrequency);
            return false;
        }

        if (Interlocked.Read(ref _spoolRetryAt) != 0)
        {
            Interlocked.Exchange(ref _spoolRetryAt, 0);
        }

        // Not accepted only while stopping: it stays in the spool (its file is not released), and the next start replays it.
        Accept(new Pending(entry, spoolFile: file), checkCapacity: false);
        return true;
    }

    /// <summary>
    /// Queues the record of a request that was admitted (<see cref="HasRoom"/> was true, so the capacity is not looked at
    /// again) and completes once it is durable: true when written, false when it cannot be written now. False means the
    /// store is failing (the entry stays queued and is written when the store recovers), or the queue is stopping, or,
    /// fail-open only, it was dropped. The caller must not answer as if the request had been recorded.
    /// </summary>
    /// <exception cref="ArgumentException">The entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>): a bug in the caller.</exception>
    public Task<bool> WriteAsync(AuditEntry entry)
    {
        AuditChain.ThrowIfInvalid(entry);
        var pending = new Pending(entry, waited: true);
        if (!_healthy && _failOpen)
        {
            // Nobody waits for a store that is failing: kept if there is room, else dropped and counted.
            if (!Accept(pending, checkCapacity: true))
            {
                Interlocked.Increment(ref _dropped);
            }

            return Pending.NotWritten;
        }

        if (!Accept(pending, checkCapacity: false))
        {
            return Pending.NotWritten;
        }

        // Read after the enqueue (a full fence): either the writer's failure sweep finds this entry, or this sees the failure.
        if (!_healthy)
        {
            return Pending.NotWritten;
        }

        // Someone waits: a batch interval would only add to the wait.
        Interlocked.Exchange(ref _flushRequested, 1);
        if (Volatile.Read(ref _lingering) == 1)
        {
            _signal.Set();
        }

        return pending.Durable!.Task;
    }

    /// <summary>
    /// Why entries are waiting, for a person diagnosing refusals: whether the writer is inside an append and for how long,
    /// how long the last commit took, whether the store is failing. Counts and durations only.
    /// </summary>
    public string DescribeBacklog()
    {
        var now = _time.GetTimestamp();
        var started = Interlocked.Read(ref _appendStarted);
        var ended = Interlocked.Read(ref _lastCommitEnded);
        var depth = Depth;
        var diagnostics = _store as IAuditAppendDiagnostics;
        var phases = diagnostics?.LastAppend is { } timing ? $" ({timing})" : "";
        var last = ended == 0
            ? "nothing committed yet"
            : $"the last commit took {LastCommitDuration.TotalMilliseconds:0.0} ms for {Volatile.Read(ref _lastCommitRecords)} records{phases}, {_time.GetElapsedTime(ended, now).TotalMilliseconds:0} ms ago";
        if (!SpoolWritable)
        {
            return $"the audit spool cannot be written ({_spoolFailure ?? "unknown error"}); {depth} entries wait; {last}";
        }

        if (!_healthy)
        {
            return $"the store is failing ({_lastFailure ?? "unknown error"}); {depth} entries wait; {last}";
        }

        if (started != 0)
        {
            var inside = _time.GetElapsedTime(started, now);
            var phase = diagnostics?.AppendInProgress is { } progress
                ? progress.Phase switch
                {
                    AuditAppendPhase.WaitingForWriteLock => $", waiting {progress.Elapsed.TotalMilliseconds:0} ms for the write lock (another writer holds it)",
                    AuditAppendPhase.Inserting => $", inserting for {progress.Elapsed.TotalMilliseconds:0} ms",
                    _ => $", committing for {progress.Elapsed.TotalMilliseconds:0} ms (the disk is slow to confirm: fsync)",
                }
                : " (the store is slow: a held write lock, a slow disk or fsync)";
            return $"the writer has been inside one append for {inside.TotalMilliseconds:0} ms{phase}; {depth} entries wait; {last}";
        }

        return $"the writer is between appends with {depth} entries waiting (it is not getting the CPU, or entries arrive faster than it commits); {last}";
    }

    /// <summary>Waits until every entry accepted before the call is written. Cuts the batching wait short.</summary>
    /// <exception cref="InvalidOperationException">The queue was never started, or it stopped before it could write them.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _accepted);
        while (true)
        {
            var progress = Volatile.Read(ref _progress);
            if (Interlocked.Read(ref _written) >= target)
            {
                return;
            }

            if (Volatile.Read(ref _state) == New)
            {
                throw new InvalidOperationException("the audit queue has not been started");
            }

            if (_loop.Task.IsCompleted)
            {
                throw new InvalidOperationException($"the audit queue stopped with {target - Interlocked.Read(ref _written)} entries unwritten");
            }

            Wake();
            await progress.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Stops accepting entries, writes those accepted (starting the writer if it never was), and
    /// stops. Gives up after <see cref="AuditQueueOptions.ShutdownTimeout"/> and logs how many were lost.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposal ??= StopAsync();
        }

        return new ValueTask(_disposal);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Counts the entry in before looking at the state, so a writer that sees <see cref="Stopping"/> and then an empty
    /// count knows no enqueuer is still on its way (both sides write, then read, through full fences).
    /// </summary>
    private bool Accept(Pending pending, bool checkCapacity)
    {
        if ((Interlocked.Increment(ref _queued) > _capacity && checkCapacity) || Volatile.Read(ref _state) == Stopping)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        _queue.Enqueue(pending);
        Interlocked.Increment(ref _accepted);
        if (Volatile.Read(ref _idle) == 1 && Interlocked.Exchange(ref _idle, 0) == 1)
        {
            _signal.Set();
        }

        return true;
    }

    private void StartWriter() => new Thread(Run) { IsBackground = true, Name = "keywarden-audit-writer" }.Start();

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, Stopping) == New)
        {
            StartWriter();
        }

        Wake();
        using (var timeout = new CancellationTokenSource(_shutdownTimeout, _time))
        {
            try
            {
                await _loop.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                await _abandon.CancelAsync();
                _signal.Set();
                await _loop.Task;
            }
        }

        _abandon.Dispose();
        _spool?.Dispose(); // its file goes once every entry in it is written; else it stays for the next start to replay
    }

    private void Wake()
    {
        Interlocked.Exchange(ref _flushRequested, 1);
        _signal.Set();
    }

    private void SignalProgress() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    private void Run()
    {
        BackgroundPriority.LowerCurrentThread(BackgroundPriority.WriterNiceIncrement);
        var batch = new List<AuditEntry>(Math.Min(_maxBatch, 4096));
        var waiting = new List<Pending>(Math.Min(_maxBatch, 4096));
        var cancellationToken = _abandon.Token;
        try
        {
            while (WaitForEntries(cancellationToken))
            {
                Linger(cancellationToken);
                while (batch.Count < _maxBatch && _queue.TryDequeue(out var pending))
                {
                    batch.Add(pending.Entry);
                    waiting.Add(pending);
                    Interlocked.Decrement(ref _queued);
                }

                if (batch.Count == 0)
                {
                    Thread.Yield(); // counted in, not yet in the queue: its enqueuer is between two instructions
                    continue;
                }

                Write(batch, waiting, cancellationToken);
                batch.Clear();
                waiting.Clear();
            }
        }
#pragma warning disable CA1031 // Shutdown gave up: whatever the store threw while being cancelled (a driver may throw its own error rather than a cancellation), the entries are lost, counted and logged; an exception escaping this thread would end the process.
        catch (Exception) when (cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            var lost = Interlocked.Read(ref _accepted) - Interlocked.Read(ref _written);
            Interlocked.Add(ref _lost, lost);
            AuditLog.EntriesLost(_logger, lost, _shutdownTimeout);
        }
        finally
        {
            Release(waiting);
            foreach (var pending in _queue)
            {
                pending.Complete(false);
            }

            ReportDrops();
            SignalProgress();
            _loop.TrySetResult();
        }
    }

    /// <summary>True when there are entries to write; sleeps while there are none; false once stopping with none left.</summary>
    private bool WaitForEntries(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _state) == Stopping)
            {
                return Volatile.Read(ref _queued) > 0;
            }

            if (Volatile.Read(ref _queued) > 0)
            {
                return true;
            }

            // Announce the sleep before the last look: an entry counted in after it finds the flag and wakes us.
            _signal.Reset();
            Interlocked.Exchange(ref _idle, 1);
            if (Volatile.Read(ref _queued) == 0 && Volatile.Read(ref _state) != Stopping && !cancellationToken.IsCancellationRequested)
            {
                _signal.Wait();
            }

            Volatile.Write(ref _idle, 0);
        }
    }

    /// <summary>Gives the batch up to <see cref="AuditQueueOptions.FlushInterval"/> to fill, unless it is full or a flush is waiting.</summary>
    private void Linger(CancellationToken cancellationToken)
    {
        if (_flushInterval <= TimeSpan.Zero || Volatile.Read(ref _queued) >= _maxBatch || Volatile.Read(ref _state) == Stopping
            || Interlocked.Exchange(ref _flushRequested, 0) == 1)
        {
            return;
        }

        // Reset, announce the linger, then look at the flag again (full fences both here and in WriteAsync): a request that
        // sets the flag after this look finds the linger announced and sets the signal.
        _signal.Reset();
        Interlocked.Exchange(ref _lingering, 1);
        if (Volatile.Read(ref _flushRequested) == 1)
        {
            Volatile.Write(ref _lingering, 0);
            return;
        }

        using (_time.CreateTimer(static signal => ((Signal)signal!).Set(), _signal, _flushInterval, Timeout.InfiniteTimeSpan))
        {
            Volatile.Write(ref _timerArmed, 1);
            _signal.Wait();
            Volatile.Write(ref _timerArmed, 0);
            Volatile.Write(ref _lingering, 0);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Appends the batch, retrying with backoff until it is written or shutdown gives up.</summary>
    private void Write(List<AuditEntry> batch, List<Pending> waiting, CancellationToken cancellationToken)
    {
        var delay = _retryDelay;
        var failures = 0;
        while (true)
        {
            var started = _time.GetTimestamp();
            Interlocked.Exchange(ref _appendStarted, started);
            try
            {
                // This thread is the one that waits for the store (synchronous for SQLite, real I/O for a network database).
                var records = _store.AppendAsync(batch, _flush, cancellationToken).GetAwaiter().GetResult();
                if (records.Count > 0)
                {
                    Interlocked.Exchange(ref _lastSequence, records[^1].Sequence);
                }

                var ended = _time.GetTimestamp();
                Interlocked.Exchange(ref _appendStarted, 0);
                Interlocked.Exchange(ref _lastCommitTicks, _time.GetElapsedTime(started, ended).Ticks);
                Volatile.Write(ref _lastCommitRecords, batch.Count);
                Interlocked.Exchange(ref _lastCommitEnded, ended);
                break;
            }
#pragma warning disable CA1031 // Whatever the store throws, the batch is not written: retry it, never drop it.
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                failures++;
                Interlocked.Exchange(ref _appendStarted, 0);
                _lastFailure = exception.GetType().Name;
                // The timer exists before Healthy turns false, so whoever sees false can advance a fake clock past it.
                var wait = Task.Delay(delay, _time, cancellationToken);
                if (failures == 1)
                {
                    AuditLog.AppendFailed(_logger, batch.Count, delay, exception);
                }
                else
                {
                    AuditLog.AppendStillFailing(_logger, failures, delay, exception);
                }

                _healthy = false;
                if (failures == 1)
                {
                    // Nobody waits on a failing store: the requests behind these entries are told now (their entries stay
                    // queued and are written on recovery). The fence pairs with the one in WriteAsync's enqueue.
                    Interlocked.MemoryBarrier();
                    Release(waiting);
                    foreach (var pending in _queue)
                    {
                        pending.Complete(false);
                    }
                }

                ReportDrops();
                wait.GetAwaiter().GetResult();
                delay = delay * 2 < _maxRetryDelay ? delay * 2 : _maxRetryDelay;
            }
        }

        Interlocked.Add(ref _written, batch.Count);
        foreach (var pending in waiting)
        {
            pending.Complete(true);
        }

        if (!_healthy)
        {
            _healthy = true;
            AuditLog.Recovered(_logger, failures);
        }

        ReportDrops();
        SignalProgress();
    }

    private static void Release(List<Pending> waiting)
    {
        foreach (var pending in waiting)
        {
            pending.Complete(false);
        }
    }

    private void ReportDrops()
    {
        var total = Interlocked.Read(ref _dropped);
        if (total > _droppedReported)
        {
            AuditLog.EntriesDropped(_logger, total - _droppedReported, total);
            _droppedReported = total;
        }
    }

    /// <summary>
    /// An entry in the queue: with the promise a request waits on (<see cref="WriteAsync"/>; completed on the thread pool,
    /// never on the writer thread), or with the spool file it is kept in until the store has it (<see cref="TrySpool"/>).
    /// </summary>
    private sealed class Pending(AuditEntry entry, bool waited = false, object? spoolFile = null)
    {
        public static readonly Task<bool> NotWritten = Task.FromResult(false);

        public AuditEntry Entry { get; } = entry;

        public TaskCompletionSource<bool>? Durable { get; } = waited ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        public object? SpoolFile { get; } = spoolFile;

        /// <summary>Written (true), or told it cannot be now (false). The spool file is released only when written.</summary>
        public void Complete(bool written)
        {
            Durable?.TrySetResult(written);
            if (written && SpoolFile is { } file)
            {
                AuditSpool.Release(file);
            }
        }
    }

    /// <summary>A reset-able wake-up for the writer thread: no spinning, no handle to dispose.</summary>
    private sealed class Signal
    {
        private readonly object _lock = new(); // Monitor.Wait and Pulse need a monitor, not a Lock
        private bool _set;

        public void Set()
        {
            lock (_lock)
            {
                _set = true;
                Monitor.Pulse(_lock);
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _set = false;
            }
        }

        public void Wait()
        {
            lock (_lock)
            {
                while (!_set)
                {
                    Monitor.Wait(_lock);
                }
            }
        }
    }
}
