using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Tests;

public sealed class VolumeDetectorTests
{
    /// <summary>20 requests an hour from 09:00 to 17:00 UTC, every day.</summary>
    private static IEnumerable<MonitorEvent> OfficeHours(DateTimeOffset day) =>
        Enumerable.Range(9, 8).SelectMany(h => Feed.InHour(day.AddHours(h), 20));

    [Fact]
    public void ATokenBurstingTwentyTimes_AlertsWhileTheHourRuns_NotAtItsEnd()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(28, OfficeHours));
        var burstHour = Feed.Start.AddDays(28).AddHours(10);
        feed.Add(Feed.InHour(burstHour, 200)); // 10× its hour: a warning (critical would be 4 × 60)

        var alert = Assert.Single(feed.Of(DetectorNames.Volume));
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.False(alert.Learning);
        Assert.InRange(alert.Time, burstHour, burstHour.AddMinutes(20)); // 60 = 3 × 20 is reached within the first quarter
        Assert.Contains("60 requests in the hour 10:00–11:00 UTC, Monday", alert.Why, StringComparison.Ordinal);
        Assert.Contains("usual for that hour of the week is 20 (median of 4 weeks)", alert.Why, StringComparison.Ordinal);
        Assert.Equal("volume:" + Feed.Token, alert.DedupKey);
    }

    [Fact]
    public void AnHourFarAboveTheThreshold_IsRaisedAgainAsCritical()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(28, OfficeHours));
        feed.Add(Feed.InHour(Feed.Start.AddDays(28).AddHours(10), 2000));

        Assert.Equal([AlertSeverity.Warning, AlertSeverity.Critical], feed.Of(DetectorNames.Volume).Select(a => a.Severity));
    }

    [Fact]
    public void ATokenWithThreeCallsADay_MakingNineInAnHour_DoesNotAlert()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(21, day => [Feed.Request(day.AddHours(8)), Feed.Request(day.AddHours(12)), Feed.Request(day.AddHours(18))]));
        feed.Add(Feed.InHour(Feed.Start.AddDays(21).AddHours(3), 9));

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ANightlySyncThatRecurs_IsNormal()
    {
        var feed = new Feed();
        var size = new Random(7);
        feed.Add(Feed.Days(42, day => OfficeHours(day).Concat(Feed.InHour(day.AddHours(2), 3000 + size.Next(-300, 300))).OrderBy(e => e.Time)));

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ALearningToken_AlertsOnlyAboveTheAbsoluteCeiling_AndSaysItIsLearning()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(2, OfficeHours));
        feed.Add(Feed.InHour(Feed.Start.AddDays(2).AddHours(10), 5000)); // 250× its hours, but no baseline yet
        Assert.Empty(feed.Alerts);

        feed.Add(Feed.InHour(Feed.Start.AddDays(2).AddHours(11), 20_000));
        var alert = Assert.Single(feed.Alerts);
        Assert.True(alert.Learning);
        Assert.Contains("absolute ceiling of 20000", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void TheThresholdsFollowTheOptions()
    {
        var feed = new Feed(new MonitorOptions { Volume = new VolumeOptions { Multiplier = 10, MinimumCount = 5 } });
        feed.Add(Feed.Days(14, OfficeHours));
        feed.Add(Feed.InHour(Feed.Start.AddDays(14).AddHours(10), 150));
        Assert.Empty(feed.Alerts); // 150 < 10 × 20

        feed.Add(Feed.InHour(Feed.Start.AddDays(14).AddHours(11), 250));
        Assert.Single(feed.Alerts);
    }
}
