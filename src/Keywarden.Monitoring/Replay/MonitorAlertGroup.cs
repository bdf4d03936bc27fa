using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Replay;

/// <summary>
/// The raises of one dedup key folded into one alert, as the alert store keeps them: the highest severity, the first
/// and latest times and <c>why</c>s, and how many raises.
/// </summary>
public sealed class MonitorAlertGroup
{
    internal MonitorAlertGroup(MonitorAlert first)
    {
        Detector = first.Detector;
        DedupKey = first.DedupKey;
        TokenId = first.TokenId;
        UpstreamId = first.UpstreamId;
        Client = first.Client;
        Severity = first.Severity;
        FirstTime = first.Time;
        LastTime = first.Time;
        Why = first.Why;
        LastWhy = first.Why;
        Learning = first.Learning;
        Count = 1;
    }

    /// <summary>The detector's id (<see cref="DetectorNames"/>).</summary>
    public string Detector { get; }

    /// <summary>The dedup key (<see cref="MonitorAlert.DedupKey"/>).</summary>
    public string DedupKey { get; }

    /// <summary>The token, or null for an address-level alert.</summary>
    public string? TokenId { get; }

    /// <summary>The token's upstream, when known.</summary>
    public string? UpstreamId { get; }

    /// <summary>The client address of the first raise.</summary>
    public string? Client { get; }

    /// <summary>The highest severity raised.</summary>
    public AlertSeverity Severity { get; private set; }

    /// <summary>The first raise's time.</summary>
    public DateTimeOffset FirstTime { get; }

    /// <summary>The latest raise's time.</summary>
    public DateTimeOffset LastTime { get; private set; }

    /// <summary>How many raises were folded in.</summary>
    public int Count { get; private set; }

    /// <summary>The first raise's <c>why</c>.</summary>
    public string Why { get; }

    /// <summary>The latest raise's <c>why</c>.</summary>
    public string LastWhy { get; private set; }

    /// <summary>True while every raise came from learning-period data.</summary>
    public bool Learning { get; private set; }

    internal void Add(MonitorAlert raise)
    {
        Count++;
        LastTime = raise.Time;
        LastWhy = raise.Why;
        Learning &= raise.Learning;
        if (raise.Severity > Severity)
        {
            Severity = raise.Severity;
        }
    }
}
