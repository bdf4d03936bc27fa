using Keywarden.Application;
using Keywarden.Storage;
using Microsoft.Extensions.Logging;

namespace Keywarden.Notifications;

/// <summary>
/// Empties the notification outbox: sends every due delivery (<see cref="INotificationStore.DueDeliveriesAsync"/>) with
/// the <see cref="WebhookSender"/>, records the outcome, and after a failure tries again later with backoff
/// (<see cref="NotificationOptions.BackoffAfter"/>) for as long as the target exists, so no alert is lost while a receiver
/// is down, across restarts too. Runs on its own task, never on a request's: a hanging receiver costs the gateway nothing.
/// </summary>
public sealed class NotificationDispatcher : IAsyncDisposable
{
    private const int Batch = 64;

    private readonly INotificationStore _store;
    private readonly Func<string, CancellationToken, Task<WebhookEndpoint?>> _open;
    private readonly WebhookSender _sender;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="store">The outbox.</param>
    /// <param name="open">Opens a target for sending (its URL and secret), or null when it was removed.</param>
    /// <param name="options">Timeouts, retries, backoff.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where deliveries are logged (ids and failure kinds only).</param>
    public NotificationDispatcher(
        INotificationStore store,
        Func<string, CancellationToken, Task<WebhookEndpoint?>> open,
        NotificationOptions options,
        TimeProvider time,
        ILogger<NotificationDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _open = open;
        _options = options;
        _time = time;
        _logger = logger;
        _sender = new WebhookSender(options, time);
    }

    /// <summary>Starts sending. Once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the notification dispatcher is already started");
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>
    /// Queues <paramref name="notice"/> for every target it is for and wakes the dispatcher. Safe to call again for the same
    /// alert (a target gets it once).
    /// </summary>
    public async Task<int> QueueAsync(AlertNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var queued = await _store.EnqueueAsync(notice.Id, notice.Severity, notice.FirstTime, notice.ToJson(), _time.GetUtcNow(), cancellationToken);
        if (queued > 0)
        {
            Wake();
        }

        return queued;
    }

    /// <summary>Looks at the outbox now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Sends what is due now, once (what the loop does each round). For tests and for one-shot use.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        while (true)
        {
            var due = await _store.DueDeliveriesAsync(_time.GetUtcNow(), Batch, cancellationToken);
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
                async (delivery, ct) => await DeliverAsync(delivery, ct));
            sent += due.Count;
            if (due.Count < Batch)
            {
                return sent;
            }
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
        _sender.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await SendDueAsync(cancellationToken);
                var next = await _store.NextDueAsync(cancellationToken);
                var untilNext = next is { } due ? due - _time.GetUtcNow() : _options.PollInterval;
                wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext < _options.PollInterval ? untilNext : _options.PollInterval;
            }
            catch (StorageException e)
            {
                wait = _options.PollInterval;
                Log.OutboxFailed(_logger, e.Error.ToString(), wait);
            }

            if (wait > TimeSpan.Zero)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait, _time, linked.Token);
                var woken = _wake.WaitAsync(linked.Token);
                await Task.WhenAny(delay, woken);
                await linked.CancelAsync(); // the other wait ends cancelled (a cancelled wait takes no count of the semaphore)
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private async Task DeliverAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var endpoint = await _open(delivery.TargetId, cancellationToken);
        if (endpoint is null)
        {
            return; // the target was removed: its pending deliveries are cancelled with it
        }

        var attempt = delivery.Attempts + 1;
        DeliveryResult result;
        try
        {
            result = await _sender.SendAsync(endpoint, AlertNotice.FromJson(delivery.Notice), delivery.Id, cancellationToken);
        }
        catch (FormatException)
        {
            Log.NoticeUnreadable(_logger, delivery.Id);
            result = DeliveryResult.Failed("the stored notice cannot be read");
        }

        if (result.Delivered)
        {
            await _store.MarkDeliveredAsync(delivery.Id, _time.GetUtcNow(), cancellationToken);
            Log.Delivered(_logger, delivery.AlertId, delivery.TargetId, attempt);
            return;
        }

        var backoff = _options.BackoffAfter(attempt);
        await _store.MarkFailedAsync(delivery.Id, result.Failure!, _time.GetUtcNow() + backoff, cancellationToken);
        Log.NotDelivered(_logger, delivery.AlertId, delivery.TargetId, attempt, result.Failure!, backoff);
    }
}
