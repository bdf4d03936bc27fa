using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>The upstream-errors detector's memory of one token: forwarded requests and errors per minute over the window and per day over the history.</summary>
internal sealed class UpstreamErrorsState(int minutes, int days)
{
    public MinuteWindow Forwarded { get; } = new(minutes);

    public MinuteWindow Errors { get; } = new(minutes);

    public MinuteWindow AuthErrors { get; } = new(minutes);

    public DayRing ForwardedPerDay { get; } = new(days);

    public DayRing ErrorsPerDay { get; } = new(days);

    /// <summary>Forwarded requests failing in a row, up to now.</summary>
    public int Streak { get; set; }

    /// <summary>Of <see cref="Streak"/>, the 401s and 403s.</summary>
    public int StreakAuth { get; set; }

    /// <summary>Forwarded requests refused with 401 or 403 in a row, up to now.</summary>
    public int AuthStreak { get; set; }

    public long RaisedAt { get; set; } = long.MinValue;
}
