using System.Collections.Concurrent;
using Keywarden.Core.Audit;
using Microsoft.Extensions.Logging;

namespace Keywarden.Storage.Audit;

/// <summary>
/// Takes audit entries off the gateway's hot path: <see cref="TryEnqueue"/> never blocks, takes no
/// lock and never touches the database; one writer thread of its own drains the queue in batches
/// into <see cref="IAuditStore.AppendAsync"/>. "Audit or refuse": when the queue is full or the store
/// is failing, <see cref="TryEnqueue"/> returns false and the gateway answers 503, unless
/// <see cref="AuditQueueOptions.FailOpen"/>. A failed batch is retried with backoff until it is
/// written; an accepted entry is only ever lost at shutdown past
/// <see cref="AuditQueueOptions.ShutdownTimeout"/>, and then the count is logged.
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
    private readonly TimeProvider _time;
    private readonly ILogger<AuditQueue> _logger;
    private readonly ConcurrentQueue<AuditEntry> _queue = new();
    private readonly Signal _signal = new();
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abandon = new();
    private readonly Lock _disposeLock = new();
    private readonly int _capacity;
    private readonly int _maxBatch;
    private readonly TimeSpan _flushInterval;
    private readonly bool _failOpen;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeSpan _shutdownTimeout;

    private TaskCompletionSource _progress = NewSignal();
    private int _queued;
    private int _idle;
    private int _flushRequested;
    private int _lingering;
    private int _state;
    private Task? _disposal;
    private long _accepted;
    private long _written;
    private long _lost;
    private long _dropped;
    private long _droppedReported;
    private volatile bool _healthy = true;

    public AuditQueue(IAuditStore store, AuditQueueOptions options, TimeProvider time, ILogger<AuditQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _time = time;
        _logger = logger;
        _capacity = options.Capacity;
        _maxBatch = options.MaxBatch;
        _flushInterval = options.FlushInterval;
        _failOpen = options.FailOpen;
        _retryDelay = options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        _shutdownTimeout = options.ShutdownTimeout;

        if (_failOpen)
        {
            Log.FailOpen(_logger);
            Accept(AuditEntry.ForAdmin(
                time.GetUtcNow(),
                Environment.UserName,
                "audit.fail-open",
                "audit",
                "the audit queue was started fail-open: requests are served even when their audit records cannot be written"));
        }
    }

    /// <summary>False from a failed write until the next successful one.</summary>
    public bool Healthy => _healthy;

    /// <summary>Entries accepted and not yet written (the batch being written included).</summary>
    public int Depth => (int)Math.Clamp(Interlocked.Read(ref _accepted) - Interlocked.Read(ref _written) - Interlocked.Read(ref _lost), 0, int.MaxValue);

    /// <summary>Entries written to the store since the queue was created.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Fail-open only: entries that were not kept because the queue was full or shutting down.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>For tests with a fake clock: true while the writer waits for a batch to fill, its timer already set.</summary>
    internal bool Lingering => Volatile.Read(ref _lingering) == 1;

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
        if ((_healthy || _failOpen) && Accept(entry))
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
    private bool Accept(AuditEntry entry)
    {
        if (Interlocked.Increment(ref _queued) > _capacity || Volatile.Read(ref _state) == Stopping)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        _queue.Enqueue(entry);
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
        var cancellationToken = _abandon.Token;
        try
        {
            while (WaitForEntries(cancellationToken))
            {
                Linger(cancellationToken);
                while (batch.Count < _maxBatch && _queue.TryDequeue(out var entry))
                {
                    batch.Add(entry);
                    Interlocked.Decrement(ref _queued);
                }

                if (batch.Count == 0)
                {
                    Thread.Yield(); // counted in, not yet in the queue: its enqueuer is between two instructions
                    continue;
                }

                Write(batch, cancellationToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var lost = Interlocked.Read(ref _accepted) - Interlocked.Read(ref _written);
            Interlocked.Add(ref _lost, lost);
            Log.EntriesLost(_logger, lost, _shutdownTimeout);
        }
        finally
        {
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

        // Reset before looking at the flag again: a Wake in between sets the signal after the reset.
        _signal.Reset();
        if (Volatile.Read(ref _flushRequested) == 1)
        {
            return;
        }

        using (_time.CreateTimer(static signal => ((Signal)signal!).Set(), _signal, _flushInterval, Timeout.InfiniteTimeSpan))
        {
            Volatile.Write(ref _lingering, 1);
            _signal.Wait();
            Volatile.Write(ref _lingering, 0);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Appends the batch, retrying with backoff until it is written or shutdown gives up.</summary>
    private void Write(List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        var delay = _retryDelay;
        var failures = 0;
        while (true)
        {
            try
            {
                // This thread is the one that waits for the store (synchronous for SQLite, real I/O for a network database).
                _store.AppendAsync(batch, cancellationToken).GetAwaiter().GetResult();
                break;
            }
#pragma warning disable CA1031 // Whatever the store throws, the batch is not written: retry it, never drop it.
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                failures++;
                // The timer exists before Healthy turns false, so whoever sees false can advance a fake clock past it.
                var wait = Task.Delay(delay, _time, cancellationToken);
                if (failures == 1)
                {
                    Log.AppendFailed(_logger, batch.Count, delay, exception);
                }
                else
                {
                    Log.AppendStillFailing(_logger, failures, delay, exception);
                }

                _healthy = false;
                ReportDrops();
                wait.GetAwaiter().GetResult();
                delay = delay * 2 < _maxRetryDelay ? delay * 2 : _maxRetryDelay;
            }
        }

        Interlocked.Add(ref _written, batch.Count);
        if (!_healthy)
        {
            _healthy = true;
            Log.Recovered(_logger, failures);
        }

        ReportDrops();
        SignalProgress();
    }

    private void ReportDrops()
    {
        var total = Interlocked.Read(ref _dropped);
        if (total > _droppedReported)
        {
            Log.EntriesDropped(_logger, total - _droppedReported, total);
            _droppedReported = total;
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
