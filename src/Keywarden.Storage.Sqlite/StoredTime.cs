using System.Globalization;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// How the store writes time. Everything is kept at millisecond precision in UTC: instants in
/// columns as Unix milliseconds (they are compared and sorted by SQL), instants inside the policy
/// JSON as ISO-8601 <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (a person reads that document), durations as
/// milliseconds. Finer precision is truncated and offsets are normalised to UTC, so a value at
/// millisecond precision reads back equal to what was written.
/// </summary>
internal static class StoredTime
{
    private const string IsoFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static long ToUnixMilliseconds(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static long? ToUnixMilliseconds(DateTimeOffset? instant) => instant?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static long ToMilliseconds(TimeSpan duration) => duration.Ticks / TimeSpan.TicksPerMillisecond;

    public static TimeSpan FromMilliseconds(long milliseconds) => TimeSpan.FromTicks(checked(milliseconds * TimeSpan.TicksPerMillisecond));

    public static string? ToIso(DateTimeOffset? instant) =>
        instant is { } value
            ? FromUnixMilliseconds(ToUnixMilliseconds(value)).UtcDateTime.ToString(IsoFormat, CultureInfo.InvariantCulture)
            : null;

    public static DateTimeOffset? ParseIso(string? text) =>
        text is null
            ? null
            : DateTimeOffset.ParseExact(text, IsoFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
