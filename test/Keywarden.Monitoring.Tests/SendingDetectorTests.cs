using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Tests;

public sealed class SendingDetectorTests
{
    private static MonitorEvent Send(DateTimeOffset at, int recipients, string client = Feed.Client) =>
        Feed.Request(at, client: client, method: "POST", path: "messages/send", recipients: recipients, fromDomain: "mail.example.com");

    /// <summary>Receipts: 50 one- or two-recipient messages a day.</summary>
    private static IEnumerable<MonitorEvent> Receipts(DateTimeOffset day) =>
        Feed.InHour(day.AddHours(12), 50, at => Send(at, at.Minute % 7 == 0 ? 2 : 1));

    [Fact]
    public void UsualSends_DoNotAlert() => Assert.Empty(Run(21, _ => { }));

    [Fact]
    public void AMessageToHundredsOfRecipients_Alerts()
    {
        var alerts = Run(14, feed => feed.Add(Send(Feed.Start.AddDays(14).AddHours(15), 300)));

        var alert = Assert.Single(alerts);
        Assert.Equal(DetectorNames.Sending, alert.Detector);
        Assert.Contains("a message to 300 recipients", alert.Why, StringComparison.Ordinal);
        Assert.Contains("largest message in 28 days had 2; the alert is at 50", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void ADayOfFarMoreRecipients_AlertsOnceTheRunningDayCrosses()
    {
        var alerts = Run(14, feed => feed.Add(Feed.InHour(Feed.Start.AddDays(14).AddHours(13), 1200, at => Send(at, 1))));

        var alert = Assert.Single(alerts, a => a.Detector == DetectorNames.Sending); // the volume detector sees the hour too
        Assert.Contains("1000 recipients so far on 2026-03-16", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void ASendFromARefusedDomain_AlertsEvenWhileLearning()
    {
        var feed = new Feed();
        feed.Add(Feed.Request(Feed.Start, method: "POST", path: "messages/send", decision: AuditDecision.Deny, rule: "from-domain", recipients: 1, fromDomain: "promo-deals.example"));

        var alert = Assert.Single(feed.Alerts);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.True(alert.Learning);
        Assert.Contains("a send from promo-deals.example this token may not send from was refused", alert.Why, StringComparison.Ordinal);
    }

    private static List<MonitorAlert> Run(int days, Action<Feed> then)
    {
        var feed = new Feed();
        feed.Add(Feed.Days(days, Receipts));
        then(feed);
        return feed.Alerts;
    }
}
