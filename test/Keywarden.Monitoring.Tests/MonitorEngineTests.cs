using Keywarden.Core.Audit;
using Keywarden.Core.Keys;

namespace Keywarden.Monitoring.Tests;

public sealed class MonitorEngineTests
{
    private static IEnumerable<MonitorEvent> Daily(DateTimeOffset day) => Feed.InHour(day.AddHours(10), 5);

    [Fact]
    public void PrimingLearnsTheHistory_WithoutRaisingAnything()
    {
        var feed = new Feed();
        feed.Prime(Feed.Days(14, Daily));
        feed.Prime([Feed.Request(Feed.Start.AddDays(13).AddHours(20), client: "198.51.100.1")]); // would have alerted live
        Assert.Empty(feed.Alerts);

        // Live from here: the primed history is the baseline, so the token is past its learning period.
        feed.Add(Feed.Request(Feed.Start.AddDays(14).AddHours(10), client: "192.0.2.200"));
        var alert = Assert.Single(feed.Alerts);
        Assert.Equal(DetectorNames.NewNetwork, alert.Detector);
        Assert.Contains("2 other networks", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminRecords_AreSkipped()
    {
        var feed = new Feed();
        feed.Add(new MonitorEvent(Feed.Start, AuditKind.Admin, null, null, null, null, "token.issue", "tok_x", AuditDecision.Allow, "admin", null));
        Assert.Equal(0, feed.Engine.TokenCount);
    }

    [Fact]
    public void ARecordSlightlyEarlierThanThePrevious_CountsAsAtTheLatestTime()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, Daily));
        var at = Feed.Start.AddDays(14).AddHours(10);
        feed.Add(Feed.Request(at));
        feed.Add(Feed.Request(at.AddMilliseconds(-3), client: "198.51.100.1"));

        Assert.Equal(at, Assert.Single(feed.Alerts).Time.AddMilliseconds(3)); // the alert keeps the record's own time
    }

    [Fact]
    public void TokensUnseenForTheWholeHistory_AreForgotten()
    {
        var feed = new Feed();
        feed.Add(Feed.Request(Feed.Start, token: "tok_oldoldoldold"));
        feed.Add(Feed.Request(Feed.Start.AddDays(29)));

        Assert.Null(feed.Engine.Token("tok_oldoldoldold"));
        Assert.NotNull(feed.Engine.Token(Feed.Token));
    }

    [Fact]
    public void PerTokenMemory_IsFixedWhateverTheTraffic()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(28, day => Feed.InHour(day.AddHours(9), 500, at => Feed.Request(at, path: $"/lists/abc/members/{at.Ticks:x}"))));
        var token = feed.Engine.Token(Feed.Token)!;
        Assert.Equal((4 * 168) + 24, token.Volume!.Hours.Length);
        Assert.Equal(1, token.Surfaces!.Surfaces.Count);
        Assert.Equal(1, token.Networks!.Networks.Count);
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorEngine(new MonitorOptions { History = TimeSpan.FromDays(10) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorEngine(new MonitorOptions { LearningPeriod = TimeSpan.FromDays(60) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorEngine(new MonitorOptions { DenialBurst = new DenialBurstOptions { Window = TimeSpan.FromHours(2) } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorEngine(new MonitorOptions { Volume = new VolumeOptions { Multiplier = 0 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitorEngine(new MonitorOptions { UpstreamErrors = new UpstreamErrorsOptions { MinRate = 1.5 } }));
    }

    [Fact]
    public void ApiKindOfAnEvent_IsNotNeededByTheDetectors()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, Daily).Select(e => e with { Api = null }));
        feed.Add(Feed.Request(Feed.Start.AddDays(14).AddHours(10), method: "DELETE", path: "/lists/abc123") with { Api = UpstreamKind.Marketing });
        Assert.Single(feed.Alerts);
    }
}
