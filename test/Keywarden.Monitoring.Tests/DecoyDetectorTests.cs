using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Tests;

public sealed class DecoyDetectorTests
{
    [Fact]
    public void AnyUseOfADecoy_IsCritical_NamingTheClientAndUserAgent()
    {
        var feed = new Feed();
        feed.Add(Feed.Request(Feed.Start, token: "tok_decoy0000000", client: "192.0.2.9", decision: AuditDecision.Deny, rule: "decoy", userAgent: "curl/8.5.0"));

        var alert = Assert.Single(feed.Alerts);
        Assert.Equal((DetectorNames.Decoy, AlertSeverity.Critical, false), (alert.Detector, alert.Severity, alert.Learning));
        Assert.Contains("used from 192.0.2.9 with User-Agent \"curl/8.5.0\"", alert.Why, StringComparison.Ordinal);
        Assert.Equal("decoy:tok_decoy0000000", alert.DedupKey);
    }
}
