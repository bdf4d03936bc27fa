using Keywarden.Core.Monitoring;
using Keywarden.Monitoring.Replay;

namespace Keywarden.Monitoring.Tests;

public sealed class MonitorAlertLedgerTests
{
    private static MonitorAlert Raise(DateTimeOffset at, AlertSeverity severity = AlertSeverity.Warning, string? token = Feed.Token, bool learning = false, string why = "why") =>
        new(DetectorNames.Volume, severity, token, null, Feed.Client, at, why, learning, MonitorAlert.KeyOf(DetectorNames.Volume, token, Feed.Client));

    [Fact]
    public void RepeatsOfAnOpenKey_AreCounted_KeepingTheHighestSeverityAndBothWhys()
    {
        var ledger = new MonitorAlertLedger();
        ledger.Add(Raise(Feed.Start, why: "first"));
        ledger.Add(Raise(Feed.Start.AddHours(1), AlertSeverity.Critical, why: "second"));
        ledger.Add(Raise(Feed.Start.AddHours(2), why: "third"));

        var alert = Assert.Single(ledger.Alerts);
        Assert.Equal((3, AlertSeverity.Critical, "first", "third"), (alert.Count, alert.Severity, alert.Why, alert.LastWhy));
        Assert.Equal((Feed.Start, Feed.Start.AddHours(2)), (alert.FirstTime, alert.LastTime));
    }

    [Fact]
    public void AKeyQuietForADay_OpensANewAlert()
    {
        var ledger = new MonitorAlertLedger();
        ledger.Add(Raise(Feed.Start));
        ledger.Add(Raise(Feed.Start.AddHours(25)));
        Assert.Equal(2, ledger.Alerts.Count);
    }

    [Fact]
    public void TokenAndAddressKeys_AreSeparate_AndLearningHoldsOnlyWhileEveryRaiseIsLearning()
    {
        var ledger = new MonitorAlertLedger();
        ledger.Add(Raise(Feed.Start, token: null));
        ledger.Add(Raise(Feed.Start, learning: true));
        ledger.Add(Raise(Feed.Start.AddMinutes(1), learning: false));

        Assert.Equal(["volume:@" + Feed.Client, "volume:" + Feed.Token], ledger.Alerts.Select(a => a.DedupKey));
        Assert.False(ledger.Alerts[1].Learning);
    }
}
