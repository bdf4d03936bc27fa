using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring;

/// <summary>Where detectors raise alerts: the caller's collection, or nowhere while the engine is being primed.</summary>
internal sealed class AlertSink
{
    public ICollection<MonitorAlert>? Target { get; set; }

    /// <summary>False while priming: a detector may skip building its <c>why</c>, though its own state must move as if it raised.</summary>
    public bool Enabled => Target is not null;

    public void Raise(string detector, AlertSeverity severity, in MonitorEvent e, string why, bool learning)
    {
        Target?.Add(new MonitorAlert(
            detector, severity, e.TokenId, e.UpstreamId, e.Client, e.Time, why, learning, MonitorAlert.KeyOf(detector, e.TokenId, e.Client)));
    }
}
