namespace Keywarden.Monitoring.Tests;

public sealed class UpstreamErrorsDetectorTests
{
    /// <summary>60 requests an hour by day, one of them a day answered 500 (a usual error share of 0.17 %).</summary>
    private static IEnumerable<MonitorEvent> Busy(DateTimeOffset day) =>
        Enumerable.Range(8, 10).SelectMany(h => Feed.InHour(day.AddHours(h), 60, at => Feed.Request(at, status: at is { Hour: 12, Minute: 7 } ? 500 : 200)));

    [Fact]
    public void SporadicUpstreamFailures_DoNotAlert()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(21, Busy));
        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ABusyTokensJumpInUpstreamFailures_Alerts()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, Busy));
        feed.Add(Feed.InHour(Feed.Start.AddDays(14).AddHours(9), 60, at => Feed.Request(at, status: 503)));

        // Raised as soon as 10 failed, then again once per window while it lasts (the alert store counts the repeats).
        Assert.All(feed.Alerts, a => Assert.Equal(DetectorNames.UpstreamErrors, a.Detector));
        Assert.Equal(6, feed.Alerts.Count);
        var alert = feed.Alerts[0];
        Assert.Contains("10 of 10 forwarded requests in 10 minutes failed upstream (0 with 401/403, 10 with 5xx", alert.Why, StringComparison.Ordinal);
        Assert.Contains("usual error share is 0.2 %", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyRevokedBehindKeywardensBack_AlertsAfterThreeRefusalsInARow_HoweverQuietTheToken()
    {
        var feed = Quiet();
        for (var i = 0; i < 3; i++)
        {
            feed.Add(Feed.Request(Feed.Start.AddDays(14).AddHours(i), status: 403));
        }

        var alert = Assert.Single(feed.Alerts);
        Assert.Contains("the last 3 forwarded requests all failed upstream (3 with 401/403", alert.Why, StringComparison.Ordinal);
        Assert.Contains("revoked in Mailchimp", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void AQuietTokensRunOf5xx_NeedsTenInARow()
    {
        var feed = Quiet();
        for (var i = 0; i < 9; i++)
        {
            feed.Add(Feed.Request(Feed.Start.AddDays(14).AddHours(i), status: 502));
        }

        Assert.Empty(feed.Alerts);
        feed.Add(Feed.Request(Feed.Start.AddDays(14).AddHours(10), status: 500));
        Assert.Contains("Mailchimp is failing", Assert.Single(feed.Alerts).Why, StringComparison.Ordinal);
    }

    private static Feed Quiet()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, day => [Feed.Request(day.AddHours(9)), Feed.Request(day.AddHours(15))]));
        return feed;
    }
}
