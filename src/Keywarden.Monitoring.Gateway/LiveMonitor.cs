using System.Collections.Concurrent;
using System.Diagnostics;
using Keywarden.Application;
using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;
using Keywarden.Gateway.Observability;
using Keywarden.Notifications;
using Keywarden.Storage;
using Microsoft.Extensions.Logging;

namespace Keywarden.Monitoring.Gateway;

/// <summary>
/// The anomaly monitor of a running gateway. At start it learns each token's normal use from the audit log's last
/// <see cref="LiveMonitorOptions.History"/> (so baselines survive restarts without a store of their own), then runs every
/// finished request (<see cref="MonitorObserver"/>) through the detectors on its own task. An alert is stored
/// (deduplicated by the store), counted for <c>/metrics</c>, sent to the webhooks (<see cref="NotificationDispatcher"/>)
/// and, for a token whose on-anomaly response is <see cref="AnomalyResponse.Suspend"/>, acted on: the token is suspended
/// (never on an info alert or on learning-period data), the alert records it. Requests never wait for any of this: the
/// queue is bounded and a full queue drops outcomes (counted), it never refuses traffic.
/// </summary>
public sealed class LiveMonitor : IAsyncDisposable
{
    private const int PrimePage = 4096;

    private readonly IKeywardenStore _store;
    private readonly TokenService _tokens;
    private readonly NotificationDispatcher? _notifications;
    private readonly LiveMonitorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveMonitor> _logger;
    private readonly MonitorEngine _engine;
    private readonly ConcurrentQueue<ObservedRequest> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<(string Detector, AlertSeverity Severity), long> _raises = new();
    private readonly List<MonitorAlert> _raised = [];
    private int _queued;
    private int _idle;
    private int _tokenCount;
    private long _dropped;
    private long _droppedLogged;
    private long _processed;
    private Task? _loop;
    private readonly TaskCompletionSource _primed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="store">Where alerts are stored, the audit log learned from, and tokens looked up.</param>
    /// <param name="tokens">Suspends tokens (audited, as <see cref="LiveMonitorOptions.Actor"/>).</param>
    /// <param name="notifications">Sends new alerts to the webhooks; null sends none.</param>
    /// <param name="options">History, default response, queue size, the detectors' settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where alerts and failures are logged (ids and names; the why is in the store).</param>
    public LiveMonitor(
        IKeywardenStore store, TokenService tokens, NotificationDispatcher? notifications, LiveMonitorOptions options, TimeProvider time, ILogger<LiveMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _tokens = tokens;
        _notifications = notifications;
        _options = options;
        _time = time;
        _logger = logger;
        _engine = new MonitorEngine(options.Detectors);
    }

    /// <summary>Requests looked at since the start (priming not included).</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Request outcomes not looked at because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The monitor's clock.</summary>
    internal TimeProvider Time => _time;

    /// <summary>Completes once the history has been learned (or could not be read) and live requests are looked at.</summary>
    public Task Primed => _primed.Task;

    /// <summary>Starts learning from the audit log, then watching. Once. Requests posted meanwhile wait in the queue.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the monitor is already started");
        }

        var startedAt = _time.GetUtcNow();
        _loop = Task.Run(() => RunAsync(startedAt, _stop.Token));
    }

    /// <summary>Exports the monitor's counters on the gateway's <c>/metrics</c>.</summary>
    public void AttachMetrics(IGatewayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.AddCounter(
            "keywarden_monitor_alerts_total",
            "Anomaly alerts raised by the monitor (repeats of an open alert counted), by detector and severity.",
            ["detector", "severity"],
            () => _raises.Select(r => (new[] { r.Key.Detector, NotificationService.Word(r.Key.Severity) }, (double)r.Value)));
        metrics.AddCounter(
            "keywarden_monitor_events_dropped_total",
            "Request outcomes the monitor did not look at because its queue was full (traffic is never refused for it).",
            [],
            () => [([], Dropped)]);
        metrics.AddGauge("keywarden_monitor_tokens", "Tokens whose normal use the monitor keeps in memory.", () => Volatile.Read(ref _tokenCount));
    }

    /// <summary>Queues a finished request for the detectors, or drops it (counted) when the queue is full. Never blocks.</summary>
    internal void Post(in ObservedRequest request)
    {
        if (Interlocked.Increment(ref _queued) > _options.QueueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Enqueue(request);
        if (Volatile.Read(ref _idle) == 1 && Interlocked.Exchange(ref _idle, 0) == 1)
        {
            _signal.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await PrimeAsync(startedAt, cancellationToken);
        await RequeueRecentAsync(cancellationToken);
        _primed.TrySetResult();
        while (!cancellationToken.IsCancellationRequested)
        {
            while (_queue.TryDequeue(out var request))
            {
                Interlocked.Decrement(ref _queued);
                _raised.Clear();
                _engine.Observe(request.ToEvent(), _raised);
                foreach (var alert in _raised)
                {
                    await HandleAsync(alert, cancellationToken);
                }

                Interlocked.Increment(ref _processed);
            }

            Volatile.Write(ref _tokenCount, _engine.TokenCount);
            ReportDrops();

            // Announce the sleep, then look once more: a request posted after the look finds the flag and wakes us.
            Interlocked.Exchange(ref _idle, 1);
            if (!_queue.IsEmpty)
            {
                Interlocked.Exchange(ref _idle, 0);
                continue;
            }

            await _signal.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Learns from the audit log's requests between <see cref="LiveMonitorOptions.History"/> ago and the start, raising nothing.</summary>
    private async Task PrimeAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        if (_options.History <= TimeSpan.Zero)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        long records = 0;
        try
        {
            var after = await _store.SequenceBeforeAsync(startedAt - _options.History, cancellationToken);
            while (true)
            {
                var page = await _store.ReadAsync(after, PrimePage, cancellationToken);
                foreach (var record in page)
                {
                    var entry = record.Entry;
                    if (entry.Time >= startedAt)
                    {
                        page = [];
                        break;
                    }

                    if (entry.Kind == AuditKind.Request)
                    {
                        _engine.Prime(FromEntry(entry));
                        records++;
                    }

                    after = record.Sequence;
                }

                if (page.Count < PrimePage)
                {
                    break;
                }
            }
        }
        catch (StorageException e)
        {
            Log.PrimeFailed(_logger, e.Error.ToString());
        }

        Volatile.Write(ref _tokenCount, _engine.TokenCount);
        Log.Primed(_logger, records, (int)_options.History.TotalDays, _engine.TokenCount, watch.ElapsedMilliseconds);
    }

    /// <summary>
    /// Queues again the notifications of the alerts of the last day: a crash between storing an alert and queueing its
    /// notifications would otherwise lose them. Queueing is idempotent, so what was queued is not sent twice.
    /// </summary>
    private async Task RequeueRecentAsync(CancellationToken cancellationToken)
    {
        if (_notifications is null)
        {
            return;
        }

        try
        {
            var since = _time.GetUtcNow().AddDays(-1);
            var recent = await _store.ListAlertsAsync(new AlertQuery { States = [AlertState.Open, AlertState.Acknowledged], Limit = AlertQuery.MaxLimit }, cancellationToken);
            foreach (var alert in recent.Where(a => a.FirstTime >= since))
            {
                await _notifications.QueueAsync(Notice(alert), cancellationToken);
            }
        }
        catch (StorageException e)
        {
            Log.AlertFailed(_logger, e.Error.ToString());
        }
    }

    private async Task HandleAsync(MonitorAlert alert, CancellationToken cancellationToken)
    {
        _raises.AddOrUpdate((alert.Detector, alert.Severity), 1, static (_, count) => count + 1);
        try
        {
            var raised = await _store.RaiseAsync(
                new AlertRaise(AlertService.NewId(), alert.Detector, alert.Severity, alert.TokenId, alert.UpstreamId, alert.Client, alert.DedupKey, alert.Time, alert.Why, alert.Learning),
                cancellationToken);
            var stored = raised.Alert;
            if (raised.IsNew)
            {
                Log.AlertRaised(_logger, stored.Id, NotificationService.Word(stored.Severity), stored.Detector, stored.TokenId ?? stored.Client ?? "unknown");
            }

            if (stored.Action is null && await ShouldSuspendAsync(alert, cancellationToken))
            {
                stored = await SuspendAsync(alert, stored, cancellationToken) ?? stored;
            }
            else if (raised.IsNew && alert.Detector == DetectorNames.Decoy && alert.Client is { } client && _options.DecoyBlock > TimeSpan.Zero)
            {
                // The gateway blocked the address as it refused the decoy; the alert says so, and so does its notification.
                stored = await _store.SetActionAsync(stored.Id, $"client {client} refused for {Words(_options.DecoyBlock)} from its decoy use", cancellationToken);
            }

            if (raised.IsNew && _notifications is not null)
            {
                await _notifications.QueueAsync(Notice(stored), cancellationToken);
            }
        }
        catch (Exception e) when (e is StorageException or VaultException)
        {
            Log.AlertFailed(_logger, e is VaultException vault ? vault.Code.ToString() : ((StorageException)e).Error.ToString());
        }
    }

    /// <summary>True for a warning or critical alert about a live token whose response (its own, or the default) is suspend, from data past its learning.</summary>
    private async Task<bool> ShouldSuspendAsync(MonitorAlert alert, CancellationToken cancellationToken)
    {
        if (alert.TokenId is null || alert.Learning || alert.Severity < AlertSeverity.Warning || alert.Detector == DetectorNames.Decoy)
        {
            return false;
        }

        var token = await _store.FindTokenAsync(alert.TokenId, cancellationToken);
        return token is { Decoy: false, RevokedAt: null, Suspension: null }
            && (token.OnAnomaly ?? _options.DefaultResponse) == AnomalyResponse.Suspend;
    }

    private async Task<AlertRecord?> SuspendAsync(MonitorAlert alert, AlertRecord stored, CancellationToken cancellationToken)
    {
        var reason = $"alert {stored.Id} ({alert.Detector}): {alert.Why}";
        if (reason.Length > TokenService.MaxReasonLength)
        {
            reason = reason[..(TokenService.MaxReasonLength - 1)] + "…";
        }

        var change = await _tokens.SuspendAsync(alert.TokenId!, reason, _options.Actor, cancellationToken);
        if (!change.Changed)
        {
            return null;
        }

        Log.Suspended(_logger, alert.TokenId!, stored.Id, alert.Detector);
        return await _store.SetActionAsync(stored.Id, $"token {alert.TokenId} suspended", cancellationToken);
    }

    private void ReportDrops()
    {
        var dropped = Dropped;
        if (dropped > _droppedLogged)
        {
            _droppedLogged = dropped;
            Log.Dropped(_logger, dropped);
        }
    }

    private static string Words(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
            ? (span.TotalHours == 1 ? "1 hour" : $"{span.TotalHours:0} hours")
            : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";

    private static AlertNotice Notice(AlertRecord alert) =>
        new(alert.Id, alert.Detector, alert.Severity, alert.TokenId, alert.Client, alert.FirstTime, alert.LastTime, alert.Count, alert.LastWhy, alert.Action);

    private static MonitorEvent FromEntry(AuditEntry entry) => new(
        entry.Time,
        entry.Kind,
        entry.TokenId,
        entry.UpstreamId,
        entry.ClientAddress,
        null,
        entry.Method,
        entry.Path,
        entry.Decision,
        entry.Rule,
        entry.UpstreamStatus,
        entry.Recipients,
        entry.FromDomain,
        entry.UserAgent);
}
