namespace Keywarden.Monitoring.Baselines;

/// <summary>One number per UTC day for the last N days (a total, or a maximum): fixed memory, O(N) to summarise.</summary>
internal sealed class DayRing
{
    private readonly long[] _values;
    private readonly long[] _days;

    public DayRing(int days)
    {
        _values = new long[days];
        _days = new long[days];
        Array.Fill(_days, long.MinValue);
    }

    /// <summary>Today's value so far.</summary>
    public long Today(long day) => _days[Slot(day)] == day ? _values[Slot(day)] : 0;

    public void Add(long day, long value) => _values[Claim(day)] += value;

    public void Max(long day, long value)
    {
        var slot = Claim(day);
        _values[slot] = Math.Max(_values[slot], value);
    }

    /// <summary>The largest value of the days before <paramref name="day"/> still in the ring.</summary>
    public long MaxBefore(long day)
    {
        long max = 0;
        for (var i = 0; i < _values.Length; i++)
        {
            if (_days[i] < day && _days[i] >= day - _values.Length)
            {
                max = Math.Max(max, _values[i]);
            }
        }

        return max;
    }

    /// <summary>The sum of the days before <paramref name="day"/> still in the ring.</summary>
    public long SumBefore(long day)
    {
        long sum = 0;
        for (var i = 0; i < _values.Length; i++)
        {
            if (_days[i] < day && _days[i] >= day - _values.Length)
            {
                sum += _values[i];
            }
        }

        return sum;
    }

    private int Slot(long day) => (int)(day % _values.Length);

    private int Claim(long day)
    {
        var slot = Slot(day);
        if (_days[slot] != day)
        {
            _days[slot] = day;
            _values[slot] = 0;
        }

        return slot;
    }
}
