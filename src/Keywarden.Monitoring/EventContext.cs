namespace Keywarden.Monitoring;

/// <summary>What the engine works out once per request for every detector: the time in the units the baselines use, the token's state and whether it is learning.</summary>
/// <param name="Now">Milliseconds since the Unix epoch (never earlier than a previous request's).</param>
/// <param name="Token">The token's state; null for a request without a token.</param>
/// <param name="Learning">The token is within its learning period.</param>
internal readonly record struct EventContext(long Now, TokenState? Token, bool Learning)
{
    public const long MinuteMs = 60_000;
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;

    public long Minute => Now / MinuteMs;

    public long Hour => Now / HourMs;

    public long Day => Now / DayMs;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Now);
}
