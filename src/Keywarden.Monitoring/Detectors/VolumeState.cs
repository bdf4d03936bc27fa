using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>The volume detector's memory of one token: its hourly counts and the running hour's thresholds.</summary>
internal sealed class VolumeState(int weeks)
{
    public HourRing Hours { get; } = new(weeks);

    public int Threshold { get; set; }

    public int CriticalThreshold { get; set; }

    /// <summary>The median of the same hour of the week over the weeks known.</summary>
    public int Usual { get; set; }

    /// <summary>The busiest comparable hour (the reference the multiplier applies to).</summary>
    public int Peak { get; set; }

    public int WeeksKnown { get; set; }

    /// <summary>The running hour's threshold is the absolute ceiling (the token is learning).</summary>
    public bool Ceiling { get; set; }

    public bool Raised { get; set; }

    public bool RaisedCritical { get; set; }
}
