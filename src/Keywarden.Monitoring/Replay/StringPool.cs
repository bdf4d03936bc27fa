namespace Keywarden.Monitoring.Replay;

/// <summary>
/// Reuses the strings of repeated values (token ids, addresses, rules, methods, common paths) while reading an export:
/// a fixed table of slots chosen by hash, the latest string of each slot kept. A miss allocates the string and takes
/// the slot, so memory is fixed however many distinct values the file holds.
/// </summary>
internal sealed class StringPool(int slots = 8192)
{
    private readonly string?[] _slots = new string?[slots];

    public string Get(ReadOnlySpan<char> value)
    {
        var slot = (int)((uint)string.GetHashCode(value) % (uint)_slots.Length);
        var held = _slots[slot];
        if (held is not null && value.SequenceEqual(held))
        {
            return held;
        }

        var created = new string(value);
        _slots[slot] = created;
        return created;
    }
}
