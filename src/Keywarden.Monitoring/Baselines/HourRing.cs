namespace Keywarden.Monitoring.Baselines;

/// <summary>
/// Requests per hour for the last <c>weeks × 168 + 24</c> hours (every hour of the week for each week of history, and a
/// day more so the oldest week's neighbouring hours are kept): 4 bytes per hour, about 2.8 KB per token for 4 weeks.
/// </summary>
internal sealed class HourRing
{
    private readonly int[] _counts;

    public HourRing(int weeks)
    {
        _counts = new int[(weeks * 168) + 24];
    }

    /// <summary>The hour the ring ends with; <see cref="long.MinValue"/> before the first request.</summary>
    public long Current { get; private set; } = long.MinValue;

    public int Length => _counts.Length;

    /// <summary>Moves the ring's end to <paramref name="hour"/>, zeroing the hours skipped. Hours before the end are ignored (time never runs back).</summary>
    public void Advance(long hour)
    {
        if (Current == long.MinValue)
        {
            Current = hour;
            return;
        }

        var steps = Math.Min(hour - Current, _counts.Length);
        for (long i = 1; i <= steps; i++)
        {
            _counts[(int)((hour - steps + i) % _counts.Length)] = 0;
        }

        Current = Math.Max(Current, hour);
    }

    /// <summary>Counts a request in the current hour; returns the hour's count.</summary>
    public int Increment() => ++_counts[(int)(Current % _counts.Length)];

    /// <summary>The count of <paramref name="hour"/>, which must be within the ring (at most <see cref="Length"/> − 1 hours before <see cref="Current"/>).</summary>
    public int this[long hour] => _counts[(int)(hour % _counts.Length)];

    /// <summary>True when <paramref name="hour"/> is still held.</summary>
    public bool Holds(long hour) => hour <= Current && hour > Current - _counts.Length;
}
