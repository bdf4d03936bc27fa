namespace Keywarden.Notifications;

/// <summary>How alerts are delivered. Checked when the sender or dispatcher is made.</summary>
public sealed class NotificationOptions
{
    /// <summary>How long one HTTP attempt may take, answer included, before it counts as failed. Default 5 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Quick retries within one delivery attempt, for a transient failure (a reset connection, a 5xx, a 429). Default 2.</summary>
    public int QuickRetries { get; set; } = 2;

    /// <summary>The first quick retry's delay; each next one doubles. Default 500 ms.</summary>
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After a failed attempt, the wait before the next one: doubled each time from this, up to <see cref="MaxBackoff"/>. Default 10 s.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts. Default 15 minutes: a receiver that is down for a day gets 100 tries, not millions.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the outbox is looked at even without a wake-up (a notification queued by another process). Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many deliveries are sent at once. Default 8: one receiver that hangs does not hold up the others.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>The wait after attempt <paramref name="attempts"/> (1 for the first) failed.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var wait = FirstBackoff.TotalMilliseconds * factor;
        return wait >= MaxBackoff.TotalMilliseconds ? MaxBackoff : TimeSpan.FromMilliseconds(wait);
    }

    /// <exception cref="ArgumentOutOfRangeException">Names the setting.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero, nameof(AttemptTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(QuickRetries, nameof(QuickRetries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(QuickRetryDelay, TimeSpan.Zero, nameof(QuickRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FirstBackoff, TimeSpan.Zero, nameof(FirstBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, FirstBackoff, nameof(MaxBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, nameof(Concurrency));
    }
}
