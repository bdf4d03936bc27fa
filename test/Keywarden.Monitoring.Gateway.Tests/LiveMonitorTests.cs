using System.Net;
using Keywarden.Application;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Policy;
using Keywarden.Storage;
using Keywarden.Storage.Tests.Support;
using Keywarden.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keywarden.Monitoring.Gateway.Tests;

/// <summary>The live monitor on a real SQLite vault: what it learns at start, what it stores, when it suspends.</summary>
public sealed class LiveMonitorTests : IAsyncLifetime
{
    private const string MarketingKey = "0123456789abcdef0123456789abcdef-us21"; // FAKE
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private TempVault _temp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IKeywardenStore Store => _temp.Vault.Store;

    public async ValueTask InitializeAsync()
    {
        _temp = await TempVault.CreateAsync();
        await _temp.Vault.Upstreams.AddAsync(
            new AddUpstreamRequest("news", UpstreamKind.Marketing, MarketingKey, null, null, Verify: false, AddUpstreamRequest.DefaultMaxKeyAge), Ct);
    }

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task AtStart_ItLearnsFromTheAuditLog_RaisingNothingForTheHistory_ThenFlagsWhatTheHistoryNeverDid()
    {
        var token = await IssueAsync(AnomalyResponse.Alert);
        await SeedHistoryAsync(token, days: 14, path: "/lists/abc123/members");
        await using var monitor = Monitor();

        monitor.Start();
        await monitor.Primed;
        monitor.Post(Request(token, "GET", "/lists/abc123/members"));
        monitor.Post(Request(token, "DELETE", "/lists/abc123/members/5f3e"));
        await Wait.UntilAsync(() => monitor.Processed == 2, "both requests looked at", Patience);

        var alert = Assert.Single(await Store.ListAlertsAsync(new AlertQuery(), Ct));
        Assert.Equal(("new-surface", token, false), (alert.Detector, alert.TokenId, alert.Learning));
        Assert.Contains("DELETE", alert.LastWhy, StringComparison.Ordinal);
        Assert.Null(alert.Action); // its response is alert: nothing done
        Assert.Null((await Store.FindTokenAsync(token, Ct))!.Suspension);
    }

    [Fact]
    public async Task ATokenThatAskedForSuspension_IsSuspendedByAWarning_AndTheAlertSaysSo()
    {
        var token = await IssueAsync(AnomalyResponse.Suspend);
        await SeedHistoryAsync(token, days: 14, path: "/lists/abc123/members");
        await using var monitor = Monitor();

        monitor.Start();
        monitor.Post(Request(token, "DELETE", "/lists/abc123/members/5f3e"));
        await Wait.UntilAsync(() => monitor.Processed == 1, "the request looked at", Patience);

        var alert = Assert.Single(await Store.ListAlertsAsync(new AlertQuery(), Ct));
        Assert.Equal($"token {token} suspended", alert.Action);
        var suspension = (await Store.FindTokenAsync(token, Ct))!.Suspension!;
        Assert.StartsWith($"alert {alert.Id} (new-surface): ", suspension.Reason, StringComparison.Ordinal);
        var record = (await Store.TailAsync(10, Ct)).Last(r => r.Entry.Method == "token.suspend");
        Assert.Equal("monitor", record.Entry.Actor);
    }

    [Fact]
    public async Task WhileATokenIsLearned_NothingIsSuspended_EvenIfItAskedForIt()
    {
        var token = await IssueAsync(AnomalyResponse.Suspend);
        await using var monitor = Monitor();

        monitor.Start();
        await monitor.Primed;
        for (var i = 0; i < 60; i++)
        {
            monitor.Post(Request(token, "GET", "/lists/abc123/members", client: "198.51.100.7") with { Decision = AuditDecision.Deny, Rule = RuleNames.Canonical });
        }

        await Wait.UntilAsync(() => monitor.Processed == 60, "the requests looked at", Patience);
        var alerts = await Store.ListAlertsAsync(new AlertQuery(), Ct);
        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Null(a.Action));
        Assert.Null((await Store.FindTokenAsync(token, Ct))!.Suspension);
    }

    [Fact]
    public async Task AFullQueue_DropsAndCounts_NeverBlocks()
    {
        var token = await IssueAsync(AnomalyResponse.Alert);
        await using var monitor = Monitor(new LiveMonitorOptions { QueueCapacity = 3 });

        for (var i = 0; i < 10; i++)
        {
            monitor.Post(Request(token, "GET", "/lists/abc123/members"));
        }

        Assert.Equal(7, monitor.Dropped);
        monitor.Start();
        await Wait.UntilAsync(() => monitor.Processed == 3, "the three queued requests looked at", Patience);
    }

    [Fact]
    public async Task AUserAgentWithASecret_NeverReachesAnAlert()
    {
        var decoy = (await _temp.Vault.Tokens.IssueDecoyAsync("news", "ci", Ct)).Record.Id;
        var leaked = "kw_" + new string('A', 36); // FAKE, token-shaped
        await using var monitor = Monitor();

        monitor.Start();
        monitor.Post(Request(decoy, "GET", "/lists", agent: $"curl/8.5 {leaked} {MarketingKey}") with { Decision = AuditDecision.Deny, Rule = RuleNames.Decoy });
        await Wait.UntilAsync(() => monitor.Processed == 1, "the request looked at", Patience);

        var alert = Assert.Single(await Store.ListAlertsAsync(new AlertQuery(), Ct));
        Assert.Equal((DetectorNames.Decoy, AlertSeverity.Critical), (alert.Detector, alert.Severity));
        Assert.DoesNotContain(MarketingKey, alert.LastWhy, StringComparison.Ordinal);
        Assert.Contains("curl/8.5", alert.LastWhy, StringComparison.Ordinal);
    }

    private LiveMonitor Monitor(LiveMonitorOptions? options = null) =>
        new(Store, _temp.Vault.Tokens, notifications: null, options ?? new LiveMonitorOptions(), TimeProvider.System, NullLogger<LiveMonitor>.Instance);

    private async Task<string> IssueAsync(AnomalyResponse response) =>
        (await _temp.Vault.Tokens.IssueAsync("news", "signup-form", new TokenPolicy(), response, Ct)).Record.Id;

    private async Task SeedHistoryAsync(string tokenId, int days, string path)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-days);
        var entries = new List<AuditEntry>();
        for (var hour = 0; hour < days * 24; hour++)
        {
            entries.Add(new AuditEntry(
                start.AddHours(hour), AuditKind.Request, tokenId, null, null, "203.0.113.10", "GET", path, AuditDecision.Allow, RuleNames.Allow, 200, 12, 0, 40));
        }

        await Store.AppendAsync(entries, Ct);
    }

    private static ObservedRequest Request(string tokenId, string method, string path, string client = "203.0.113.10", string? agent = null) => new(
        DateTimeOffset.UtcNow, tokenId, null, IPAddress.Parse(client), UpstreamKind.Marketing, method, path, AuditDecision.Allow, RuleNames.Allow, 200, null, null, agent);
}
