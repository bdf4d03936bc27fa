using Keywarden.Storage;

namespace Keywarden.Rotation;

/// <summary>The age of an upstream's current key against its maximum age.</summary>
/// <param name="Age">How long ago the current key was stored.</param>
/// <param name="MaxAge">The upstream's maximum key age.</param>
public sealed record KeyAge(TimeSpan Age, TimeSpan MaxAge)
{
    /// <summary>A key is due soon this long before it reaches its maximum age: 14 days.</summary>
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromDays(14);

    /// <summary>Time left until the key is overdue; negative once it is.</summary>
    public TimeSpan DueIn => MaxAge - Age;

    /// <summary>Ok, due soon or overdue.</summary>
    public KeyAgeStatus Status =>
        DueIn <= TimeSpan.Zero ? KeyAgeStatus.Overdue : DueIn <= DueSoonWindow ? KeyAgeStatus.DueSoon : KeyAgeStatus.Ok;

    /// <summary>The age of <paramref name="currentKey"/> at <paramref name="now"/>.</summary>
    public static KeyAge Of(UpstreamRecord upstream, UpstreamKeyRecord currentKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(currentKey);
        return new KeyAge(now - currentKey.CreatedAt, upstream.MaxKeyAge);
    }

    /// <summary>One line for people, e.g. <c>93 days old, max 90: overdue by 3 days</c>.</summary>
    public string Describe() => Status switch
    {
        KeyAgeStatus.Overdue => $"{Days(Age)} old, max {Days(MaxAge)}: overdue by {Days(-DueIn)}",
        KeyAgeStatus.DueSoon => $"{Days(Age)} old, max {Days(MaxAge)}: due in {Days(DueIn)}",
        _ => $"{Days(Age)} old, max {Days(MaxAge)}",
    };

    // Whole days, rounded: a key stored a moment before "now" is still "due in 10 days", not 9.
    private static string Days(TimeSpan span) => Math.Round(span.TotalDays, MidpointRounding.AwayFromZero) is var days && days == 1 ? "1 day" : $"{days:0} days";
}
