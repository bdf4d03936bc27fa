using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Tests;

public sealed class NewSurfaceDetectorTests
{
    private static IEnumerable<MonitorEvent> Signups(DateTimeOffset day) =>
        Feed.InHour(day.AddHours(10), 10, at => Feed.Request(at, method: "POST", path: "/lists/abc123/members"))
            .Concat(Feed.InHour(day.AddHours(11), 10, at => Feed.Request(at, method: "PUT", path: $"/lists/abc123/members/{Guid.NewGuid():N}")));

    [Fact]
    public void ASignupTokenDeletingMembers_IsCritical()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(10, Signups));
        feed.Add(Feed.Request(Feed.Start.AddDays(10).AddHours(3), method: "DELETE", path: "/lists/abc123/members/5f3e2a1b9c8d7e6f5a4b3c2d1e0f9a8b"));

        var alert = Assert.Single(feed.Alerts);
        Assert.Equal((DetectorNames.NewSurface, AlertSeverity.Critical), (alert.Detector, alert.Severity));
        Assert.Contains("first destructive call DELETE /lists/{id}/members/{id}", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherIdsOfAKnownFamily_AreNotNew()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(20, Signups));
        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ANewReadIsAWarning_ATransactionalCallByItsName()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(10, day => Feed.InHour(day.AddHours(9), 20, at => Feed.Request(at, method: "POST", path: "messages/send", recipients: 1))));
        feed.Add(Feed.Request(Feed.Start.AddDays(10).AddHours(9), method: "POST", path: "exports/activity"));
        feed.Add(Feed.Request(Feed.Start.AddDays(10).AddHours(9).AddMinutes(1), method: "POST", path: "templates/delete"));

        Assert.Equal([AlertSeverity.Warning, AlertSeverity.Critical], feed.Of(DetectorNames.NewSurface).Select(a => a.Severity));
        Assert.Contains("first call exports/activity", feed.Alerts[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusedRequest_IsLeftToTheDenialBurstDetector()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(10, Signups));
        feed.Add(Feed.Request(Feed.Start.AddDays(10), method: "DELETE", path: "/lists/abc123", decision: AuditDecision.Deny, rule: "read-only"));

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void AHundredThousandFamilies_StayWithinTheCap()
    {
        var feed = new Feed();
        for (var i = 0; i < 100_000; i++)
        {
            var name = string.Concat(i.ToString("x5").Select(c => (char)('a' + (c % 26))));
            feed.Add(Feed.Request(Feed.Start.AddSeconds(i), path: $"/lists/abc/{name}"));
        }

        var surfaces = feed.Engine.Token(Feed.Token)!.Surfaces!.Surfaces;
        Assert.Equal(new MonitorOptions().NewSurface.MaxSurfaces, surfaces.Count);
        Assert.Equal(surfaces.Count, surfaces.Capacity);
    }
}
