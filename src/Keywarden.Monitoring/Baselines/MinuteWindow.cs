namespace Keywarden.Monitoring.Baselines;

/// <summary>A sliding count over the last N minutes, in one-minute buckets: fixed memory, O(N) to read, N ≤ 60.</summary>
internal sealed class MinuteWindow
{
    private readonly int[] _counts;
    private readonly long[] _minutes;

    public MinuteWindow(int minutes)
    {
        _counts = new int[minutes];
        _minutes = new long[minutes];
        Array.Fill(_minutes, long.MinValue);
    }

    public void Add(long minute, int count = 1)
    {
        var slot = (int)(minute % _counts.Length);
        if (_minutes[slot] != minute)
        {
            _minutes[slot] = minute;
            _counts[slot] = 0;
        }

        _counts[slot] += count;
    }

    /// <summary>The count of the window ending with <paramref name="minute"/>.</summary>
    public int Sum(long minute)
    {
        var sum = 0;
        var oldest = minute - _counts.Length;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_minutes[i] > oldest && _minutes[i] <= minute)
            {
                sum += _counts[i];
            }
        }

        return sum;
    }
}
