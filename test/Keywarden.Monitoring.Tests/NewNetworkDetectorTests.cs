using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Tests;

public sealed class NewNetworkDetectorTests
{
    private static IEnumerable<MonitorEvent> Daily(DateTimeOffset day, string client) =>
        Feed.InHour(day.AddHours(10), 5, at => Feed.Request(at, client: client));

    [Fact]
    public void ADeployMovingTheAppInsideIts24_IsNotNew()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, day => Daily(day, "203.0.113.10")));
        feed.Add(Feed.Days(14, day => Daily(day.AddDays(14), "203.0.113.77")));

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void ANetworkTheTokenNeverUsed_IsAWarning_NamingIt()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, day => Daily(day, Feed.Client)));
        feed.Add(Feed.Request(Feed.Start.AddDays(14).AddHours(15), client: "198.51.100.23", userAgent: "python-requests/2.31.0"));

        var alert = Assert.Single(feed.Alerts);
        Assert.Equal((DetectorNames.NewNetwork, AlertSeverity.Warning), (alert.Detector, alert.Severity));
        Assert.Contains("198.51.100.0/24", alert.Why, StringComparison.Ordinal);
        Assert.Contains("python-requests/2.31.0", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewNetworkWhileTheAppIsRunning_IsCritical()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(14, day => Daily(day, Feed.Client)));
        var at = Feed.Start.AddDays(14).AddHours(10);
        feed.Add(Feed.Request(at, client: Feed.Client));
        feed.Add(Feed.Request(at.AddMinutes(2), client: "2001:db8:beef::1"));

        var alert = Assert.Single(feed.Alerts);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Contains("203.0.113.0/24 2 minutes ago", alert.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void DuringTheLearningPeriod_NewNetworksAreLearnedSilently()
    {
        var feed = new Feed();
        feed.Add(Feed.Days(5, day => Daily(day, $"198.51.{day.Day}.1")));
        feed.Add(Feed.Days(5, day => Daily(day.AddDays(10), "198.51.3.200"))); // learned while the token was learning

        Assert.Empty(feed.Alerts);
    }

    [Fact]
    public void AHundredThousandNetworks_StayWithinTheCap()
    {
        var feed = new Feed();
        for (var i = 0; i < 100_000; i++)
        {
            feed.Add(Feed.Request(Feed.Start.AddSeconds(i * 10), client: $"10.{i >> 8 & 0xFF}.{i & 0xFF}.{(i >> 16) + 1}"));
        }

        var networks = feed.Engine.Token(Feed.Token)!.Networks!.Networks;
        Assert.Equal(new MonitorOptions().NewNetwork.MaxNetworks, networks.Count);
        Assert.Equal(networks.Count, networks.Capacity);
    }
}
