using Keywarden.Core.Monitoring;
using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>The denial-burst detector's memory of one token or client address: refusals per minute over the window, and what it last raised.</summary>
internal sealed class DenialBurstState(int minutes)
{
    public MinuteWindow Refusals { get; } = new(minutes);

    public long LastSeen { get; set; }

    /// <summary>When it last raised, or <see cref="long.MinValue"/>.</summary>
    public long RaisedAt { get; set; } = long.MinValue;

    public AlertSeverity RaisedSeverity { get; set; }
}
