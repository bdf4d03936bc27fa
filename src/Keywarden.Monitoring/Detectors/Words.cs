using System.Globalization;

namespace Keywarden.Monitoring.Detectors;

/// <summary>How alerts word times and numbers: UTC, invariant, short.</summary>
internal static class Words
{
    /// <summary><c>14:00–15:00 UTC, Tuesday</c>.</summary>
    public static string HourOf(long hour)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(hour * EventContext.HourMs);
        return $"{start.Hour:00}:00–{(start.Hour + 1) % 24:00}:00 UTC, {start.DayOfWeek}";
    }

    /// <summary><c>2026-03-14</c>.</summary>
    public static string Date(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary><c>2026-03-14 14:05 UTC</c>.</summary>
    public static string Minute(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary><c>12.5 %</c>, <c>0.02 %</c>.</summary>
    public static string Percent(double share) =>
        (share * 100).ToString(share < 0.001 ? "0.###" : share < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + " %";

    /// <summary>A quoted User-Agent, or "no User-Agent".</summary>
    public static string Agent(string? userAgent) => userAgent is null ? "no User-Agent" : $"User-Agent \"{userAgent}\"";

    /// <summary>"3 minutes", "1 hour", "45 seconds".</summary>
    public static string Ago(long ms) => ms switch
    {
        < 60_000 => Plural(ms / 1000, "second"),
        < 3_600_000 => Plural(ms / 60_000, "minute"),
        _ => Plural(ms / 3_600_000, "hour"),
    };

    public static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
