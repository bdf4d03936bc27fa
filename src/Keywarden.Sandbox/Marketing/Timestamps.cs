using System.Globalization;

namespace Keywarden.Sandbox.Marketing;

/// <summary>Mailchimp's ISO 8601 timestamps, e.g. 2015-09-16T19:24:29+00:00.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
