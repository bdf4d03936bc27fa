namespace Keywarden.Bench.AuditHistory;

/// <summary>
/// Scores alerts against labels. An episode is detected when an alert for its token (or, for guessing, its address)
/// from one of its fitting detectors was raised within the episode (its first raise before the end, its latest after
/// the start); its delay is from the episode's start to that alert's first raise (zero when the alert was already
/// open). An alert is false when no episode of its token or address overlaps it, with an hour's grace after the end
/// for the aftermath (a scrape's last page, a repeat raise).
/// </summary>
internal static class Scorer
{
    private static readonly TimeSpan Aftermath = TimeSpan.FromHours(1);

    public static Score Score(IReadOnlyList<LabelledEpisode> episodes, IReadOnlyList<ReplayedAlert> alerts, double tokenWeeks)
    {
        var delays = new List<TimeSpan>();
        var missed = new List<string>();
        var byKind = new Dictionary<EpisodeKind, (int, int, List<TimeSpan>)>();
        foreach (var episode in episodes)
        {
            var fitting = alerts
                .Where(a => Concerns(a, episode) && episode.Detectors.Contains(a.Detector) && a.FirstTime <= episode.End && a.LastTime >= episode.Start)
                .OrderBy(a => a.FirstTime)
                .FirstOrDefault();
            var (found, total, kindDelays) = byKind.TryGetValue(episode.Kind, out var entry) ? entry : (0, 0, new List<TimeSpan>());
            if (fitting is not null)
            {
                var delay = fitting.FirstTime > episode.Start ? fitting.FirstTime - episode.Start : TimeSpan.Zero;
                delays.Add(delay);
                kindDelays.Add(delay);
                found++;
            }
            else
            {
                missed.Add($"{episode.Kind} #{episode.Id}");
            }

            byKind[episode.Kind] = (found, total + 1, kindDelays);
        }

        var falseAlerts = alerts
            .Where(a => !episodes.Any(e => Concerns(a, e) && a.FirstTime <= e.End + Aftermath && a.LastTime >= e.Start))
            .ToList();
        return new Score(
            episodes.Count,
            delays.Count,
            missed,
            byKind.ToDictionary(k => k.Key, k => (k.Value.Item1, k.Value.Item2, k.Value.Item3.Count == 0 ? (TimeSpan?)null : Median(k.Value.Item3))),
            falseAlerts.Count,
            falseAlerts,
            tokenWeeks,
            delays.Count == 0 ? TimeSpan.Zero : Median(delays),
            alerts.Count);
    }

    private static bool Concerns(ReplayedAlert alert, LabelledEpisode episode) =>
        episode.TokenId is not null ? alert.TokenId == episode.TokenId : alert.TokenId is null && alert.Client == episode.Client;

    private static TimeSpan Median(List<TimeSpan> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
