using System.Globalization;

namespace Keywarden.Core.Policy;

/// <summary>A request budget per window, written <c>600/min</c>, <c>10/s</c>, <c>5000/h</c> or <c>20000/day</c>.</summary>
/// <param name="Requests">Requests allowed in one window.</param>
/// <param name="Window">The window length.</param>
public sealed record RateLimit(int Requests, TimeSpan Window)
{
    /// <summary>Parses the <c>N/unit</c> form.</summary>
    /// <exception cref="FormatException">Not of that form, or not positive.</exception>
    public static RateLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var requests)
            || requests <= 0)
        {
            throw new FormatException($"invalid rate '{text}': expected N/unit, e.g. 600/min");
        }

        var window = parts[1].ToLowerInvariant() switch
        {
            "s" or "sec" or "second" => TimeSpan.FromSeconds(1),
            "m" or "min" or "minute" => TimeSpan.FromMinutes(1),
            "h" or "hour" => TimeSpan.FromHours(1),
            "d" or "day" => TimeSpan.FromDays(1),
            _ => throw new FormatException($"invalid rate unit in '{text}': use s, min, h or day"),
        };
        return new RateLimit(requests, window);
    }

    /// <summary>The <c>N/unit</c> form.</summary>
    public override string ToString() => Window switch
    {
        var w when w == TimeSpan.FromSeconds(1) => $"{Requests}/s",
        var w when w == TimeSpan.FromMinutes(1) => $"{Requests}/min",
        var w when w == TimeSpan.FromHours(1) => $"{Requests}/h",
        var w when w == TimeSpan.FromDays(1) => $"{Requests}/day",
        _ => $"{Requests}/{Window.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
    };
}
