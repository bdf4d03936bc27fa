namespace Keywarden.Gateway.Observability;

/// <summary>
/// Lets a message through at most once per interval and counts the ones it held back, so a condition that hits every
/// request (audit unavailable under load) writes a line a second, not a line per request: at thousands of requests a
/// second the log itself would become the outage (and cost the CPU the requests need).
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
    private long _next = long.MinValue;
    private long _held;

    /// <summary>True when the message may be written now; <paramref name="held"/> is how many were held back before it.</summary>
    public bool TryEnter(out long held)
    {
        var now = time.GetTimestamp();
        var next = Volatile.Read(ref _next);
        if (now < next || Interlocked.CompareExchange(ref _next, now + _intervalTicks, next) != next)
        {
            Interlocked.Increment(ref _held);
            held = 0;
            return false;
        }

        held = Interlocked.Exchange(ref _held, 0);
        return true;
    }
}
