namespace Keywarden.Core.Requests;

/// <summary>The few rules a forwarded query string must meet; it is otherwise forwarded as received.</summary>
internal static class QueryRules
{
    private const string MethodParameter = "_method";

    public static CanonicalizationError Check(ReadOnlySpan<char> query, out string? detail)
    {
        foreach (var c in query)
        {
            if (char.IsControl(c))
            {
                detail = $"control character U+{(int)c:X4} in the query";
                return CanonicalizationError.ControlCharacter;
            }

            if (c == '#')
            {
                detail = "'#' in the request target";
                return CanonicalizationError.InvalidCharacter;
            }
        }

        // Frameworks that honour a "_method" parameter would run a method other than the one judged.
        var remaining = query;
        while (!remaining.IsEmpty)
        {
            var amp = remaining.IndexOf('&');
            var pair = amp < 0 ? remaining : remaining[..amp];
            var equals = pair.IndexOf('=');
            if (IsMethodParameter(equals < 0 ? pair : pair[..equals]))
            {
                detail = "query parameter _method could override the method upstream";
                return CanonicalizationError.AmbiguousMethodOverride;
            }

            remaining = amp < 0 ? [] : remaining[(amp + 1)..];
        }

        detail = null;
        return CanonicalizationError.None;
    }

    private static bool IsMethodParameter(ReadOnlySpan<char> rawName)
    {
        // Any name starting "_method" ("_method", "_method[]", "_METHOD"), in any percent-encoded spelling.
        Span<char> name = stackalloc char[MethodParameter.Length];
        var length = 0;
        for (var i = 0; i < rawName.Length && length < name.Length; i++)
        {
            var c = rawName[i];
            if (c == '%' && i + 2 < rawName.Length && char.IsAsciiHexDigit(rawName[i + 1]) && char.IsAsciiHexDigit(rawName[i + 2]))
            {
                c = (char)((PathSegment.HexValue(rawName[i + 1]) << 4) | PathSegment.HexValue(rawName[i + 2]));
                i += 2;
            }

            name[length++] = c;
        }

        return length == MethodParameter.Length && name.Equals(MethodParameter, StringComparison.OrdinalIgnoreCase);
    }
}
