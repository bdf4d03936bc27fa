using System.Text.Json;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;
using Keywarden.Storage.Tests.Support;
using Keywarden.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Notifications.Tests;

/// <summary>The dispatcher against a real SQLite outbox and a real receiver on loopback.</summary>
public sealed class NotificationDispatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow.AddMinutes(1));
    private readonly ListLogger<NotificationDispatcher> _log = new();
    private TempVault _vault = null!;
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _vault = await TempVault.CreateAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task Generic_IsPostedSigned_AndRecordedDelivered()
    {
        var added = await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Warning, Ct);
        await using var dispatcher = Dispatcher(quickRetries: 0);

        Assert.Equal(1, await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct));
        Assert.Equal(1, await dispatcher.SendDueAsync(Ct));

        var received = Assert.Single(_receiver.Received);
        Assert.True(WebhookSignature.Verify(added.SigningSecret, received.Headers[WebhookSignature.Header], received.Body, _time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal("keywarden.alert", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("al_1", json.RootElement.GetProperty("id").GetString());
        Assert.Equal("critical", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal("tok_7gq2m0x4k9c1", json.RootElement.GetProperty("token_id").GetString());
        var delivery = Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct));
        Assert.Equal(received.Headers[WebhookSender.DeliveryHeader], delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((DeliveryState.Delivered, 1), (delivery.State, delivery.Attempts));
    }

    [Fact]
    public async Task BelowTheTargetsMinimumSeverity_NothingIsQueued()
    {
        await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Critical, Ct);
        await using var dispatcher = Dispatcher(quickRetries: 0);

        Assert.Equal(0, await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Warning), Ct));
        Assert.Equal(0, await dispatcher.SendDueAsync(Ct));
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Slack_GetsATextBody_WithoutSignature()
    {
        await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Slack, AlertSeverity.Info, Ct);
        await using var dispatcher = Dispatcher(quickRetries: 0);

        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);
        await dispatcher.SendDueAsync(Ct);

        var received = Assert.Single(_receiver.Received);
        Assert.False(received.Headers.ContainsKey(WebhookSignature.Header));
        using var json = JsonDocument.Parse(received.Body);
        Assert.StartsWith(":rotating_light: *Keywarden critical alert: decoy*", json.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReceiverThatIsDown_IsRetriedWithBackoff_UntilItAccepts_AndNothingIsLost()
    {
        await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Info, Ct);
        var options = new NotificationOptions { QuickRetries = 0, FirstBackoff = TimeSpan.FromSeconds(10) };
        await using var dispatcher = Dispatcher(options);
        _receiver.Status = 503;

        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);
        await dispatcher.SendDueAsync(Ct);
        var failed = Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct));
        Assert.Equal((DeliveryState.Pending, 1, "the receiver answered HTTP 503"), (failed.State, failed.Attempts, failed.LastError));
        Assert.Equal(_time.GetUtcNow().AddSeconds(10), failed.NextAttemptAt, TimeSpan.FromMilliseconds(1));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await dispatcher.SendDueAsync(Ct)); // not due yet
        _time.Advance(TimeSpan.FromSeconds(5));
        await dispatcher.SendDueAsync(Ct);
        Assert.Equal(2, Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct)).Attempts);
        Assert.Equal(_time.GetUtcNow().AddSeconds(20), Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct)).NextAttemptAt, TimeSpan.FromMilliseconds(1));

        _receiver.Status = 200;
        _time.Advance(TimeSpan.FromSeconds(20));
        await dispatcher.SendDueAsync(Ct);

        Assert.Equal(3, _receiver.Received.Count);
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct)).State);
        Assert.Single(_receiver.Received.Select(r => r.Headers[WebhookSender.DeliveryHeader]).Distinct());
    }

    [Fact]
    public async Task AReceiverThatHangs_CostsOneBoundedAttempt_AndIsRetriedLater()
    {
        await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Info, Ct);
        _receiver.Hang = true;
        // A real socket that never answers: the attempt's timeout runs on the real clock.
        var options = new NotificationOptions { QuickRetries = 0, AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        await using var dispatcher = new NotificationDispatcher(
            _vault.Vault.Store, _vault.Vault.Notifications.OpenAsync, options, TimeProvider.System, _log);

        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await dispatcher.SendDueAsync(Ct);

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), Patience);
        var delivery = Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct));
        Assert.Equal((DeliveryState.Pending, "no answer within the timeout"), (delivery.State, delivery.LastError));
    }

    [Fact]
    public async Task QuickRetries_GetPastOneTransientFailure_InTheSameAttempt()
    {
        await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Info, Ct);
        var options = new NotificationOptions { QuickRetries = 1, QuickRetryDelay = TimeSpan.FromMilliseconds(20) };
        await using var dispatcher = new NotificationDispatcher(
            _vault.Vault.Store, _vault.Vault.Notifications.OpenAsync, options, TimeProvider.System, _log);
        _receiver.AnswerNext(502);

        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);
        await dispatcher.SendDueAsync(Ct);

        Assert.Equal(2, _receiver.Received.Count);
        var delivery = Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct));
        Assert.Equal((DeliveryState.Delivered, 1), (delivery.State, delivery.Attempts));
    }

    [Fact]
    public async Task TheRunningDispatcher_DeliversAQueuedAlertWithinASecond()
    {
        await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Info, Ct);
        await using var dispatcher = new NotificationDispatcher(
            _vault.Vault.Store, _vault.Vault.Notifications.OpenAsync, new NotificationOptions { PollInterval = TimeSpan.FromMinutes(10) }, TimeProvider.System, _log);
        dispatcher.Start();
        var started = System.Diagnostics.Stopwatch.StartNew();

        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);
        await _receiver.WaitForAsync(1, Patience);

        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ARemovedTarget_GetsNothingMore()
    {
        var added = await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Info, Ct);
        await using var dispatcher = Dispatcher(quickRetries: 0);
        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);

        await _vault.Vault.Notifications.RemoveAsync(added.Target.Id, Ct);
        await dispatcher.SendDueAsync(Ct);

        Assert.Empty(_receiver.Received);
        Assert.Equal(DeliveryState.Cancelled, Assert.Single(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct)).State);
    }

    [Fact]
    public async Task TheUrlsPathAndTheSigningSecret_AreNeverInTheLog_TheOutbox_OrTheDatabaseFileInClear()
    {
        var added = await _vault.Vault.Notifications.AddWebhookAsync(_receiver.Url.AbsoluteUri, NotificationFormat.Generic, AlertSeverity.Info, Ct);
        await using var dispatcher = Dispatcher(quickRetries: 0);
        _receiver.Status = 500;
        await dispatcher.QueueAsync(Notice("al_1", AlertSeverity.Critical), Ct);
        await dispatcher.SendDueAsync(Ct);
        _receiver.Status = 200;
        _time.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.SendDueAsync(Ct);

        Assert.NotEmpty(_log.Lines);
        Assert.Equal(2, _receiver.Received.Count);
        var secrets = new[] { "FAKE-secret-path", added.SigningSecret };
        var database = await File.ReadAllBytesAsync(_vault.Temp.Store.DatabasePath, Ct);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(_log.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(await _vault.Vault.Store.ListDeliveriesAsync("al_1", Ct), d => (d.Notice + d.LastError).Contains(secret, StringComparison.Ordinal));
            Assert.True(database.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)) < 0, "in the database file in clear");
        }

        Assert.Equal(_receiver.Url.GetLeftPart(UriPartial.Authority) + "/…", Assert.Single(await _vault.Vault.Notifications.ListAsync(Ct)).Display);
    }

    private static AlertNotice Notice(string id, AlertSeverity severity) => new(
        id, "decoy", severity, "tok_7gq2m0x4k9c1", "203.0.113.7", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1, "the decoy token planted in CI was used");

    private NotificationDispatcher Dispatcher(int quickRetries) => Dispatcher(new NotificationOptions { QuickRetries = quickRetries });

    private NotificationDispatcher Dispatcher(NotificationOptions options) =>
        new(_vault.Vault.Store, _vault.Vault.Notifications.OpenAsync, options, _time, _log);
}
