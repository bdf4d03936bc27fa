using Keywarden.Bench.AuditHistory;
using Keywarden.Monitoring.Replay;

namespace Keywarden.Monitoring.Tests;

/// <summary>
/// The quality benchmark in small (bench/monitor.sh runs 50 tokens × 6 weeks through the CLI): a generated history with
/// one labelled episode of every kind; every episode must be detected and the normal traffic must raise nothing.
/// </summary>
public sealed class GeneratedHistoryTests
{
    [Fact]
    public void EveryAttackKindIsDetected_AndTheNormalTrafficRaisesNoAlert()
    {
        var generator = new HistoryGenerator(new HistorySpec(Tokens: 14, Weeks: 3, Seed: 5) { EpisodesPerKind = 1 });
        var engine = new MonitorEngine();
        var ledger = new MonitorAlertLedger();
        var raised = new List<MonitorAlert>();
        foreach (var record in generator.Records())
        {
            engine.Observe(record.ToEvent(), raised);
        }

        raised.ForEach(ledger.Add);
        var labels = Labels.Of(generator, 0);
        var alerts = ledger.Alerts.Select(a => new ReplayedAlert(a.Detector, a.Severity.ToString(), a.TokenId, a.Client, a.FirstTime, a.LastTime, a.Count, a.Why)).ToList();
        var score = Scorer.Score(labels.Episodes, alerts, labels.TokenWeeks);

        Assert.Equal(Enum.GetValues<EpisodeKind>().Length, score.Episodes);
        Assert.True(score.Missed.Count == 0, "missed: " + string.Join(", ", score.Missed));
        Assert.True(score.FalseAlerts == 0, Report.Markdown(score));
    }

    [Fact]
    public void TheGeneratorIsDeterministic()
    {
        var spec = new HistorySpec(Tokens: 4, Weeks: 1, Seed: 9);
        var first = new HistoryGenerator(spec).Records().Take(2000).ToList();
        var second = new HistoryGenerator(spec).Records().Take(2000).ToList();
        Assert.Equal(first, second);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.TimeMs <= p.Second.TimeMs), "records in time order");
    }
}
