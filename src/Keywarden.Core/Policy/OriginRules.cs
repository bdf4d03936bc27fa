namespace Keywarden.Core.Policy;

/// <summary>Browser origins in one comparable form: <c>scheme://host[:port]</c>, scheme and host lower case, default port omitted.</summary>
internal static class OriginRules
{
    /// <summary>The serialised origin, or null when <paramref name="text"/> is not an http(s) origin (<c>null</c> included).</summary>
    public static string? Normalize(string text)
    {
        var trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0
            || uri.PathAndQuery != "/"
            || uri.Fragment.Length > 0
            || trimmed.Contains('?', StringComparison.Ordinal)
            || trimmed.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
    }
}
