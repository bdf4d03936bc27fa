namespace Keywarden.Monitoring;

/// <summary>
/// The sending detector, for Transactional sends (requests that carry a recipient count): recipients in one message
/// and in one UTC day against the busiest of each over the history, and sends the policy refused for their sender
/// (<c>from-domain</c>), their recipients (<c>max-recipients</c>) or the daily quota (<c>daily-quota</c>). The refusals
/// are absolute (they fire while a token is learning); the baselines are not.
/// </summary>
public sealed record SendingOptions
{
    /// <summary>A message needs this many times the token's largest message of the history. Default 4.</summary>
    public double PerMessageMultiplier { get; init; } = 4;

    /// <summary>A message with fewer recipients never alerts. Default 50 (a team notification or a small digest).</summary>
    public int PerMessageFloor { get; init; } = 50;

    /// <summary>A day needs this many times the token's busiest day of the history. Default 3 (a campaign day runs about twice a usual day).</summary>
    public double DailyMultiplier { get; init; } = 3;

    /// <summary>A day with fewer recipients never alerts. Default 1 000.</summary>
    public int DailyFloor { get; init; } = 1_000;

    internal void Validate()
    {
        MonitorOptions.Positive(PerMessageMultiplier, nameof(PerMessageMultiplier));
        MonitorOptions.Positive(PerMessageFloor, nameof(PerMessageFloor));
        MonitorOptions.Positive(DailyMultiplier, nameof(DailyMultiplier));
        MonitorOptions.Positive(DailyFloor, nameof(DailyFloor));
    }
}
