namespace Keywarden.Core.Requests;

/// <summary>The effective method of a request: the method itself, or its override headers on a POST.</summary>
internal static class HttpMethodResolver
{
    /// <summary>Maps a method name (ASCII case-insensitive) to its upper-case constant, or null when not allowed.</summary>
    public static string? Known(ReadOnlySpan<char> name) => name switch
    {
        _ when name.Equals("GET", StringComparison.OrdinalIgnoreCase) => "GET",
        _ when name.Equals("HEAD", StringComparison.OrdinalIgnoreCase) => "HEAD",
        _ when name.Equals("POST", StringComparison.OrdinalIgnoreCase) => "POST",
        _ when name.Equals("PUT", StringComparison.OrdinalIgnoreCase) => "PUT",
        _ when name.Equals("PATCH", StringComparison.OrdinalIgnoreCase) => "PATCH",
        _ when name.Equals("DELETE", StringComparison.OrdinalIgnoreCase) => "DELETE",
        _ => null,
    };

    public static CanonicalizationError Resolve(string method, IReadOnlyList<string> overrides, out string effective, out string? detail)
    {
        effective = "";
        if (Known(method) is not { } known)
        {
            detail = "method is not one of GET, HEAD, POST, PUT, PATCH, DELETE";
            return CanonicalizationError.UnknownMethod;
        }

        if (overrides.Count == 0)
        {
            effective = known;
            detail = null;
            return CanonicalizationError.None;
        }

        ReadOnlySpan<char> chosen = default;
        for (var i = 0; i < overrides.Count; i++)
        {
            var value = (overrides[i] ?? "").AsSpan().Trim(" \t");
            if (value.Contains(','))
            {
                detail = "method override header holds a list of methods";
                return CanonicalizationError.AmbiguousMethodOverride;
            }

            if (i == 0)
            {
                chosen = value;
            }
            else if (!value.Equals(chosen, StringComparison.OrdinalIgnoreCase))
            {
                detail = "method override headers disagree";
                return CanonicalizationError.AmbiguousMethodOverride;
            }
        }

        if (known != "POST")
        {
            detail = $"method override on {known}: only POST may be overridden";
            return CanonicalizationError.MethodOverrideNotOnPost;
        }

        if (Known(chosen) is not { } overridden)
        {
            detail = "method override is not one of GET, HEAD, POST, PUT, PATCH, DELETE";
            return CanonicalizationError.UnknownMethod;
        }

        effective = overridden;
        detail = null;
        return CanonicalizationError.None;
    }
}
