using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Sandbox.Marketing;

/// <summary>Mailchimp's member id: MD5 of the lowercased email address, as 32 lowercase hex.</summary>
internal static class SubscriberHash
{
    public static string Of(string email)
    {
#pragma warning disable CA5351 // MD5 is what Mailchimp defines the subscriber hash to be; it protects nothing.
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// The hash a path segment names: an MD5 hash as given, or an email address (Mailchimp accepts both).
    /// Null when the segment is neither.
    /// </summary>
    public static string? FromPathSegment(string segment)
    {
        if (segment.Contains('@', StringComparison.Ordinal))
        {
            return Of(segment);
        }

        if (segment.Length == 32 && segment.All(Uri.IsHexDigit))
        {
            return segment.ToLowerInvariant();
        }

        return null;
    }
}
