namespace Keywarden.Monitoring;

/// <summary>
/// The volume detector: requests per token per hour against the token's usual for that hour. The reference is the
/// busiest of the same hour of the week and its two neighbours over the history (4 weeks × 3 hours) and of the same hour
/// of the day and its neighbours over the last 6 days (a job moved to a new time is learned within a day); the alert
/// fires as soon as the running hour's count reaches <c>max(MinimumCount, Multiplier × reference)</c>.
/// </summary>
public sealed record VolumeOptions
{
    /// <summary>
    /// How many times the reference an hour must reach. Default 3: a busy day in real traffic runs up to about twice the
    /// usual hour (campaign days, retries after an outage); three times the busiest comparable hour is not a busy day.
    /// </summary>
    public double Multiplier { get; init; } = 3;

    /// <summary>
    /// An hour with fewer requests never alerts on the relative rule. Default 30 (one request every two minutes): a
    /// person clicking through a tool or a retry loop makes that many, so a token with 3 calls a day does not alert on 9.
    /// </summary>
    public int MinimumCount { get; init; } = 30;

    /// <summary>
    /// The absolute ceiling, the only volume rule while a token is learning. Default 20 000 requests in an hour (5.5 a
    /// second for a whole hour, beyond what Mailchimp's 10 connections per key sustain for most calls).
    /// </summary>
    public int AbsoluteCeiling { get; init; } = 20_000;

    /// <summary>An hour reaching this many times its threshold raises the alert again as critical. Default 4.</summary>
    public double CriticalMultiplier { get; init; } = 4;

    internal void Validate()
    {
        MonitorOptions.Positive(Multiplier, nameof(Multiplier));
        MonitorOptions.Positive(MinimumCount, nameof(MinimumCount));
        MonitorOptions.Positive(AbsoluteCeiling, nameof(AbsoluteCeiling));
        MonitorOptions.Positive(CriticalMultiplier, nameof(CriticalMultiplier));
    }
}
