namespace Keywarden.Monitoring.Baselines;

/// <summary>
/// A fixed-capacity set of 64-bit keys (networks, hashed surfaces) with the time each was last used: lookups scan one
/// small array (vectorised), and when the set is full the key unused for longest is replaced. Memory is fixed at
/// creation: 16 bytes per slot.
/// </summary>
internal sealed class LruKeySet
{
    private readonly long[] _keys;
    private readonly long[] _lastUsed;

    public LruKeySet(int capacity)
    {
        _keys = new long[capacity];
        _lastUsed = new long[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _keys.Length;

    /// <summary>True (and marks it used at <paramref name="now"/>) when <paramref name="key"/> is in the set.</summary>
    public bool Touch(long key, long now)
    {
        var index = _keys.AsSpan(0, Count).IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        _lastUsed[index] = now;
        return true;
    }

    /// <summary>Adds a key not in the set, replacing the least recently used one when full.</summary>
    public void Add(long key, long now)
    {
        var index = Count;
        if (Count < _keys.Length)
        {
            Count++;
        }
        else
        {
            index = 0;
            for (var i = 1; i < _keys.Length; i++)
            {
                if (_lastUsed[i] < _lastUsed[index])
                {
                    index = i;
                }
            }
        }

        _keys[index] = key;
        _lastUsed[index] = now;
    }

    /// <summary>The key used most recently at or after <paramref name="since"/>, or null.</summary>
    public (long Key, long LastUsed)? MostRecentSince(long since)
    {
        (long, long)? best = null;
        for (var i = 0; i < Count; i++)
        {
            if (_lastUsed[i] >= since && (best is null || _lastUsed[i] > best.Value.Item2))
            {
                best = (_keys[i], _lastUsed[i]);
            }
        }

        return best;
    }
}
