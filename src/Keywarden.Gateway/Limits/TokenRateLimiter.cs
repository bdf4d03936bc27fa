using System.Collections.Concurrent;
using Keywarden.Core.Policy;

namespace Keywarden.Gateway.Limits;

/// <summary>
/// Per-token fixed-window request budgets (<c>--rate 600/min</c>) and daily send quotas, in memory,
/// on the injected clock. One process's view: several instances will share counters through Redis.
/// A request refused after it was counted (the quota after the rate, a busy key, a body refused on its way)
/// gives its count back, so only requests that could reach Mailchimp spend a token's budget.
/// </summary>
internal sealed class TokenRateLimiter
{
    private readonly ConcurrentDictionary<string, Window> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Window> _sends = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TokenRateLimiter(TimeProvider time) => _time = time;

    /// <summary>Counts one request; false with the seconds to wait when the window's budget is spent.</summary>
    /// <param name="tokenId">The token.</param>
    /// <param name="limit">Its rate.</param>
    /// <param name="retryAfterSeconds">When refused, until the window turns.</param>
    /// <param name="window">When counted, the window it was counted in, to give it back with <see cref="Release"/>.</param>
    public bool TryAcquire(string tokenId, RateLimit limit, out int retryAfterSeconds, out long window) =>
        Consume(_requests, tokenId, limit.Requests, limit.Window, 1, out retryAfterSeconds, out window);

    /// <summary>Counts <paramref name="messages"/> against the token's UTC-day quota; all or nothing.</summary>
    /// <param name="tokenId">The token.</param>
    /// <param name="quota">Its daily quota.</param>
    /// <param name="messages">The messages this request sends.</param>
    /// <param name="retryAfterSeconds">When refused, until the day turns.</param>
    /// <param name="day">When counted, the day it was counted in, to give it back with <see cref="ReleaseDaily"/>.</param>
    public bool TryConsumeDaily(string tokenId, int quota, int messages, out int retryAfterSeconds, out long day) =>
        Consume(_sends, tokenId, quota, TimeSpan.FromDays(1), messages, out retryAfterSeconds, out day);

    /// <summary>Gives back a request counted in <paramref name="window"/> that was then refused; nothing once the window has turned.</summary>
    public void Release(string tokenId, long window) => Return(_requests, tokenId, window, 1);

    /// <summary>Gives back <paramref name="messages"/> counted on <paramref name="day"/> by a request that was then refused.</summary>
    public void ReleaseDaily(string tokenId, int messages, long day) => Return(_sends, tokenId, day, messages);

    private bool Consume(
        ConcurrentDictionary<string, Window> windows, string tokenId, int budget, TimeSpan length, int amount, out int retryAfterSeconds, out long counted)
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
                counted = index;
                return true;
            }
        }

        var remainingMs = ((index + 1) * lengthMs) - now;
        retryAfterSeconds = (int)Math.Max(1, (remainingMs + 999) / 1000);
        counted = -1;
        return false;
    }

    private static void Return(ConcurrentDictionary<string, Window> windows, string tokenId, long index, int amount)
    {
        if (!windows.TryGetValue(tokenId, out var window))
        {
            return;
        }

        lock (window)
        {
            if (window.Index == index)
            {
                window.Count = Math.Max(0, window.Count - amount);
            }
        }
    }

    private sealed class Window
    {
        public long Index { get; set; } = -1;

        public int Count { get; set; }
    }
}
