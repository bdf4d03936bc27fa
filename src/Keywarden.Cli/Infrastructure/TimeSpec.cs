using System.Globalization;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// The CLI's one duration syntax, for every option that takes one: a whole number and a unit, <c>500ms</c>, <c>30s</c>,
/// <c>90m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c> or <c>1y</c> (365 days); and instants (a duration from now or ISO-8601).
/// </summary>
internal static class TimeSpec
{
    public const string Syntax = "a whole number and a unit (ms, s, m, h, d, w, y), e.g. 30d, 12h, 90m or 1y";

    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(100 * 365);

    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("h", TimeSpan.FromHours(1)),
        ("d", TimeSpan.FromDays(1)),
        ("w", TimeSpan.FromDays(7)),
        ("y", TimeSpan.FromDays(365)),
    ];

    public static TimeSpan ParseDuration(string text, string option) =>
        TryParseDuration(text, out var duration)
            ? duration
            : throw new CliException(text.Length > 0 && text.All(char.IsAsciiDigit)
                ? $"invalid {option} '{text}': a duration needs a unit (ms, s, m, h, d, w, y), e.g. {text}d or {text}h"
                : $"invalid {option} '{text}': expected {Syntax}");

    /// <summary>A duration between <paramref name="min"/> and <paramref name="max"/>, said in the error when outside.</summary>
    public static TimeSpan ParseDuration(string text, string option, TimeSpan min, TimeSpan max)
    {
        var duration = ParseDuration(text, option);
        return duration >= min && duration <= max
            ? duration
            : throw new CliException($"invalid {option} '{text}': expected between {Describe(min)} and {Describe(max)}");
    }

    /// <summary>A key's age is counted in whole days: <c>30d</c>, <c>12w</c>, <c>1y</c>.</summary>
    public static TimeSpan ParseKeyAge(string text, string option)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            throw new CliException($"invalid {option} '{text}': a key's age is whole days with the unit, e.g. {text}d (or 12w, 1y)");
        }

        var age = ParseDuration(text, option);
        return age >= TimeSpan.FromDays(1) && age.Ticks % TimeSpan.TicksPerDay == 0
            ? age
            : throw new CliException($"invalid {option} '{text}': a key's age is counted in whole days, e.g. 30d, 12w or 1y");
    }

    /// <summary>A duration from now, or an ISO-8601 instant (a date alone means midnight UTC).</summary>
    public static DateTimeOffset ParseInstant(string text, string option, DateTimeOffset now)
    {
        if (TryParseDuration(text, out var duration))
        {
            return now + duration;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        throw new CliException($"invalid {option} '{text}': expected a duration from now ({Syntax}) or an ISO-8601 time (2027-01-31T12:00:00Z)");
    }

    /// <summary>The largest unit that divides the duration exactly (weeks shown as days): <c>90d</c>, <c>1y</c>, <c>500ms</c>.</summary>
    public static string Describe(TimeSpan duration)
    {
        for (var i = Units.Length - 1; i >= 0; i--)
        {
            var (unit, size) = Units[i];
            if (unit != "w" && duration.Ticks % size.Ticks == 0)
            {
                return $"{(duration.Ticks / size.Ticks).ToString(CultureInfo.InvariantCulture)}{unit}";
            }
        }

        return $"{duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits > 9)
        {
            return false;
        }

        var unit = text[digits..];
        var n = long.Parse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
        foreach (var (name, size) in Units)
        {
            if (unit == name && n > 0 && n <= MaxDuration.Ticks / size.Ticks)
            {
                duration = TimeSpan.FromTicks(n * size.Ticks);
                return true;
            }
        }

        return false;
    }
}
