using System.Threading.Channels;
using Keywarden.Core.Audit;
using Microsoft.Extensions.Logging;

namespace Keywarden.Storage.Audit;

/// <summary>
/// Takes audit entries off the gateway's hot path: <see cref="TryEnqueue"/> never blocks and never
/// touches the database; one background writer drains the queue in batches into
/// <see cref="IAuditStore.AppendAsync"/>. "Audit or refuse": when the queue is full or the store is
/// failing, <see cref="TryEnqueue"/> returns false and the gateway answers 503, unless
/// <see cref="AuditQueueOptions.FailOpen"/>. A failed batch is retried with backoff until it is
/// written; an accepted entry is only ever lost at shutdown past
/// <see cref="AuditQueueOptions.ShutdownTimeout"/>, and then the count is logged.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the gateway codes against this name.")]
public sealed class AuditQueue : IAsyncDisposable
{
    private const int New = 0;
    private const int Running = 1;
    private const int Stopping = 2;

    private readonly IAuditStore _store;
    private readonly DedicatedWriter _writer = new("keywarden-audit-writer");
    private readonly TimeProvider _time;
    private readonly ILogger<AuditQueue> _logger;
    private readonly Channel<AuditEntry> _channel;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Lock _disposeLock = new();
    private readonly int _maxBatch;
    private readonly TimeSpan _flushInterval;
    private readonly bool _failOpen;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeSpan _shutdownTimeout;

    private TaskCompletionSource _progress = NewSignal();
    private TaskCompletionSource _wake = NewSignal();
    private int _flushRequested;
    private int _lingering;
    private int _state;
    private Task? _loop;
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
        _maxBatch = options.MaxBatch;
        _flushInterval = options.FlushInterval;
        _failOpen = options.FailOpen;
        _retryDelay = options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        _shutdownTimeout = options.ShutdownTimeout;
        _channel = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });

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

        _loop = Task.Run(RunAsync);
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

            if (_loop is { IsCompleted: true })
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

    private bool Accept(AuditEntry entry)
    {
        if (!_channel.Writer.TryWrite(entry))
        {
            return false;
        }

        Interlocked.Increment(ref _accepted);
        return true;
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, Stopping) == New)
        {
            _loop = Task.Run(RunAsync);
        }

        _channel.Writer.TryComplete();
        Wake();
        using (var timeout = new CancellationTokenSource(_shutdownTimeout, _time))
        {
            try
            {
                await _loop!.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                await _abandon.CancelAsync();
                await _loop!;
            }
        }

        _abandon.Dispose();
        _writer.Dispose();
    }

    private void Wake()
    {
        Interlocked.Exchange(ref _flushRequested, 1);
        Volatile.Read(ref _wake).TrySetResult();
    }

    private void SignalProgress() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<AuditEntry>(_maxBatch);
        var cancellationToken = _abandon.Token;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                await LingerAsync(cancellationToken);
                while (batch.Count < _maxBatch && reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }

                await WriteAsync(batch, cancellationToken);
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
        }
    }

    /// <summary>Gives the batch up to <see cref="AuditQueueOptions.FlushInterval"/> to fill, unless it is full or a flush is waiting.</summary>
    private async Task LingerAsync(CancellationToken cancellationToken)
    {
        if (_flushInterval <= TimeSpan.Zero || _channel.Reader.Count >= _maxBatch || Volatile.Read(ref _state) == Stopping
            || Interlocked.Exchange(ref _flushRequested, 0) == 1)
        {
            return;
        }

        // Publish the signal before looking at the flag again: a Wake in between completes this one.
        var wake = NewSignal();
        Interlocked.Exchange(ref _wake, wake);
        if (Volatile.Read(ref _flushRequested) == 1)
        {
            return;
        }

        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(_flushInterval, _time, stopTimer.Token);
        Volatile.Write(ref _lingering, 1);
        await Task.WhenAny(delay, wake.Task);
        Volatile.Write(ref _lingering, 0);
        await stopTimer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Appends the batch, retrying with backoff until it is written or shutdown gives up.</summary>
    private async Task WriteAsync(List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        var delay = _retryDelay;
        var failures = 0;
        while (true)
        {
            try
            {
                await _writer.RunAsync(() => _store.AppendAsync(batch, cancellationToken));
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
                await wait;
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
}
