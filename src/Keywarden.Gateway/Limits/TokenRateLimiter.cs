using System.Collections.Concurrent;
using Keywarden.Core.Policy;

namespace Keywarden.Gateway.Limits;

/// <summary>
/// Per-token fixed-window request budgets (<c>--rate 600/min</c>) and daily send quotas, in memory,
/// on the injected clock. One process's view: several instances will share counters through Redis.
/// </summary>
internal sealed class TokenRateLimiter
{
    private readonly ConcurrentDictionary<string, Window> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Window> _sends = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TokenRateLimiter(TimeProvider time) => _time = time;

    /// <summary>Counts one request; false with the seconds to wait when the window's budget is spent.</summary>
    public bool TryAcquire(string tokenId, RateLimit limit, out int retryAfterSeconds) =>
        Consume(_requests, tokenId, limit.Requests, limit.Window, 1, out retryAfterSeconds);

    /// <summary>Counts <paramref name="messages"/> against the token's UTC-day quota; all or nothing.</summary>
    public bool TryConsumeDaily(string tokenId, int quota, int messages, out int retryAfterSeconds) =>
        Consume(_sends, tokenId, quota, TimeSpan.FromDays(1), messages, out retryAfterSeconds);

    private bool Consume(ConcurrentDictionary<string, Window> windows, string tokenId, int budget, TimeSpan length, int amount, out int retryAfterSeconds)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var lengthMs = (long)length.TotalMilliseconds;
        var index = now / lengthMs;
        var window = windows.GetOrAdd(tokenId, static _ => new Window());
        lock (window)
        {
            if (window.Index != index)
            {
                window.Index = index;
                window.Count = 0;
            }

            if (window.Count + amount <= budget)
            {
                window.Count += amount;
                retryAfterSeconds = 0;
                return true;
            }
        }

        var remainingMs = ((index + 1) * lengthMs) - now;
        retryAfterSeconds = (int)Math.Max(1, (remainingMs + 999) / 1000);
        return false;
    }

    private sealed class Window
    {
        public long Index { get; set; } = -1;

        public int Count { get; set; }
    }
}
