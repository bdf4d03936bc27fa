namespace Keywarden.Core.Keys;

/// <summary>How a secret may be shown to a person: never more than its first four characters.</summary>
public static class KeyDisplay
{
    /// <summary>Number of leading characters that may be shown, as on Mailchimp's API keys page.</summary>
    public const int VisiblePrefixLength = 4;

    /// <summary>The redacted form of a secret: first four characters, an ellipsis and the length, e.g. <c>0123…(37)</c>.</summary>
    public static string Redact(ReadOnlySpan<char> secret) =>
        secret.Length <= VisiblePrefixLength
            ? $"…({secret.Length})"
            : $"{secret[..VisiblePrefixLength]}…({secret.Length})";

    /// <summary>How a stored key is listed: its first four characters and the name it was given in Mailchimp.</summary>
    public static string Describe(string prefix, string? label) =>
        string.IsNullOrEmpty(label) ? $"{prefix}…" : $"{prefix}… ({label})";
}
