namespace Keywarden.Bench.AuditHistory;

/// <summary>How well the alerts match the labels.</summary>
/// <param name="Episodes">Labelled episodes.</param>
/// <param name="Detected">Episodes with an alert for their token or address, from a fitting detector, inside their window.</param>
/// <param name="Missed">The episodes not detected, as "kind #id".</param>
/// <param name="DetectedByKind">Per kind: detected / episodes.</param>
/// <param name="FalseAlerts">Alerts outside every episode of their token or address (window plus an hour).</param>
/// <param name="FalseAlertList">Those alerts.</param>
/// <param name="TokenWeeks">Weeks of normal traffic summed over the tokens.</param>
/// <param name="MedianDelay">Median of episode start to its first fitting alert.</param>
/// <param name="Alerts">All alerts.</param>
internal sealed record Score(
    int Episodes,
    int Detected,
    IReadOnlyList<string> Missed,
    IReadOnlyDictionary<EpisodeKind, (int Detected, int Total, TimeSpan? MedianDelay)> DetectedByKind,
    int FalseAlerts,
    IReadOnlyList<ReplayedAlert> FalseAlertList,
    double TokenWeeks,
    TimeSpan MedianDelay,
    int Alerts)
{
    public double DetectionRate => Episodes == 0 ? 1 : (double)Detected / Episodes;

    public double FalsePer100TokenWeeks => TokenWeeks == 0 ? 0 : FalseAlerts * 100 / TokenWeeks;
}
