using System.Globalization;

namespace Keywarden.Cli.Infrastructure;

/// <summary>Parses the CLI's durations (<c>30d</c>, <c>12h</c>, <c>90m</c>, <c>2w</c>) and instants (ISO-8601).</summary>
internal static class TimeSpec
{
    public static TimeSpan ParseDuration(string text, string option)
    {
        if (text.Length >= 2
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n > 0 && n <= 100_000)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
                case 'w': return TimeSpan.FromDays(7 * n);
            }
        }

        throw new CliException($"invalid {option} '{text}': expected a duration such as 30d, 12h, 90m or 2w");
    }

    /// <summary>A duration from now, or an ISO-8601 instant (a date alone means midnight UTC).</summary>
    public static DateTimeOffset ParseInstant(string text, string option, DateTimeOffset now)
    {
        if (text.Length >= 2 && "smhdw".Contains(text[^1], StringComparison.Ordinal) && text[..^1].All(char.IsAsciiDigit))
        {
            return now + ParseDuration(text, option);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        throw new CliException($"invalid {option} '{text}': expected a duration from now (30d, 12h) or an ISO-8601 time (2027-01-31T12:00:00Z)");
    }
}
