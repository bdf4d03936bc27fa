namespace Keywarden.Monitoring.Replay;

/// <summary>
/// Folds raises into alerts the way the alert store does for a replay: one alert per dedup key while it is open,
/// repeats counted. Nobody acknowledges or resolves during a replay, so an alert counts as closed once its key has been
/// quiet for <see cref="ReopenAfter"/> (default 24 hours): a raise after that opens a new alert, as it would after a
/// person resolved the first.
/// </summary>
public sealed class MonitorAlertLedger
{
    private readonly Dictionary<string, MonitorAlertGroup> _open = new(StringComparer.Ordinal);
    private readonly List<MonitorAlertGroup> _alerts = [];

    /// <summary>How long a key must be quiet before its next raise opens a new alert. Default 24 hours.</summary>
    public TimeSpan ReopenAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The alerts, in the order they were opened.</summary>
    public IReadOnlyList<MonitorAlertGroup> Alerts => _alerts;

    /// <summary>Counts <paramref name="raise"/> into its open alert, or opens one.</summary>
    public void Add(MonitorAlert raise)
    {
        ArgumentNullException.ThrowIfNull(raise);
        if (_open.TryGetValue(raise.DedupKey, out var open) && raise.Time - open.LastTime < ReopenAfter)
        {
            open.Add(raise);
            return;
        }

        var opened = new MonitorAlertGroup(raise);
        _open[raise.DedupKey] = opened;
        _alerts.Add(opened);
    }
}
