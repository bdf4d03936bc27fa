// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
namespace Keywarden.Application;

/// <summary>
/// Failed logins per client address, in memory (one server's view; a restart forgets them, and several instances each
/// count their own): at most a limit of failures per sliding window, after which the address is refused before any
/// password is checked. Bounded: past <see cref="MaxAddresses"/> tracked addresses the quietest are forgotten.
/// </summary>
internal sealed class AddressThrottle
{
    /// <summary>The most addresses tracked at once.</summary>
    public const int MaxAddresses = 100_000;

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _limit;
    private readonly TimeSpan _window;

    public AddressThrottle(int limit, TimeSpan window)
    {
        _limit = limit;
        _window = window;
    }

    /// <summary>True when the address has reached the limit within the window before <paramref name="now"/>.</summary>
    public bool IsBlocked(string? address, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(Key(address), out var times) && Prune(times, now) >= _limit;
        }
    }

    /// <summary>Counts a failure of the address at <paramref name="now"/>.</summary>
    public void RecordFailure(string? address, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(Key(address), out var times))
            {
                if (_failures.Count >= MaxAddresses)
                {
                    Sweep(now);
                }

                times = new Queue<DateTimeOffset>();
                _failures[Key(address)] = times;
            }

            Prune(times, now);
            times.Enqueue(now);
        }
    }

    // The local CLI has no address; it shares one bucket.
    private static string Key(string? address) => address ?? string.Empty;

    private int Prune(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() <= now - _window)
        {
            times.Dequeue();
        }

        return times.Count;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (address, times) in _failures.ToArray())
        {
            if (Prune(times, now) == 0)
            {
                _failures.Remove(address);
            }
        }

        // Still full: every address failed recently. Forget the half with the oldest last failure.
        if (_failures.Count >= MaxAddresses)
        {
            foreach (var address in _failures.OrderBy(p => p.Value.Last()).Take(_failures.Count / 2).Select(p => p.Key).ToArray())
            {
                _failures.Remove(address);
            }
        }
    }
}
