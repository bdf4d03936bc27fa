using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Policy;

namespace Keywarden.Monitoring.Tests;

public sealed class DenialBurstDetectorTests
{
    private static MonitorEvent Guess(DateTimeOffset at, string client = "192.0.2.66", string rule = RuleNames.TokenUnknown) =>
        Feed.Request(at, token: null, client: client, decision: AuditDecision.Deny, rule: rule, userAgent: "Go-http-client/1.1");

    [Fact]
    public void AnAddressGuessingTokens_RaisesAnAddressLevelAlert_ThenCritical()
    {
        var feed = new Feed();
        for (var i = 0; i < 300; i++)
        {
            feed.Add(Guess(Feed.Start.AddSeconds(i), rule: i % 5 == 0 ? RuleNames.Credential : RuleNames.TokenUnknown));
        }

        Assert.Equal([AlertSeverity.Warning, AlertSeverity.Critical], feed.Alerts.Select(a => a.Severity));
        var alert = feed.Alerts[0];
        Assert.Null(alert.TokenId);
        Assert.Equal("192.0.2.66", alert.Client);
        Assert.Equal("denial-burst:@192.0.2.66", alert.DedupKey);
        Assert.Contains("20 requests without a valid token from 192.0.2.66 refused in 10 minutes", alert.Why, StringComparison.Ordinal);
        Assert.False(alert.Learning);
    }

    [Fact]
    public void AStrayOldDeploymentRetryingOnceAMinute_DoesNotAlert()
    {
        var feed = new Feed();
        for (var i = 0; i < 600; i++)
        {
            feed.Add(Guess(Feed.Start.AddMinutes(i), rule: RuleNames.TokenRevoked));
        }

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void TheInternetsBackgroundOfNonApiRequests_IsNotCounted()
    {
        var feed = new Feed();
        for (var i = 0; i < 500; i++)
        {
            feed.Add(Guess(Feed.Start.AddSeconds(i), rule: RuleNames.NotApi));
        }

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ATokenRefusedByItsPolicyAgainAndAgain_Alerts_EvenWhileLearning()
    {
        var feed = new Feed();
        for (var i = 0; i < 25; i++)
        {
            feed.Add(Feed.Request(Feed.Start.AddSeconds(i * 5), method: "DELETE", path: "/lists/abc", decision: AuditDecision.Deny, rule: "read-only"));
        }

        var alert = Assert.Single(feed.Alerts);
        Assert.Equal((DetectorNames.DenialBurst, Feed.Token), (alert.Detector, alert.TokenId));
        Assert.True(alert.Learning);
        Assert.Contains("latest rule read-only", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimitedSyncs_AreNotDenialBursts()
    {
        var feed = new Feed();
        for (var i = 0; i < 500; i++)
        {
            feed.Add(Feed.Request(Feed.Start.AddSeconds(i), decision: AuditDecision.Deny, rule: RuleNames.Rate));
        }

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ASprayOfAddresses_KeepsTheAddressTableWithinItsCap()
    {
        var feed = new Feed(new MonitorOptions { DenialBurst = new DenialBurstOptions { MaxAddresses = 1000 } });
        for (var i = 0; i < 100_000; i++)
        {
            feed.Add(Guess(Feed.Start.AddMilliseconds(i * 10), client: $"10.{i >> 16}.{i >> 8 & 0xFF}.{i & 0xFF}"));
        }

        Assert.InRange(feed.Engine.AddressCount, 1, 1000);
        Assert.Empty(feed.Alerts);
    }
}
