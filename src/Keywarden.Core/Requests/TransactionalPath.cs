namespace Keywarden.Core.Requests;

/// <summary>
/// Canonicalises the part of a Transactional path after <c>/api</c>: <c>/1.0|1.3/&lt;group&gt;/&lt;method&gt;[.json]</c>.
/// Group and method are lower-cased identifiers of <c>[a-z0-9_-]</c>; dot segments are refused outright.
/// </summary>
internal static class TransactionalPath
{
    /// <summary>The version every call is forwarded to.</summary>
    public const string ForwardPrefix = "/api/1.0/";

    // Real method paths are under 60 characters; the bound keeps the decoding buffers on the stack.
    private const int MaxLength = 512;

    /// <param name="rest">Everything after <c>/api</c>.</param>
    /// <param name="method">The canonical <c>group/method</c>.</param>
    /// <param name="detail">Why, on error.</param>
    public static CanonicalizationError Canonicalize(ReadOnlySpan<char> rest, out string method, out string? detail)
    {
        method = "";
        Span<char> group = stackalloc char[64];
        Span<char> name = stackalloc char[64];
        Span<char> suffix = stackalloc char[8];
        var groupLength = 0;
        var nameLength = 0;
        var suffixLength = -1;
        var count = 0;

        if (rest.Length > MaxLength)
        {
            detail = "path too long for a Transactional method";
            return CanonicalizationError.NotAnApiPath;
        }

        Span<char> chars = stackalloc char[rest.Length];
        Span<byte> bytes = stackalloc byte[rest.Length];
        var remaining = rest.IsEmpty ? rest : rest[1..];
        while (!rest.IsEmpty)
        {
            var slash = remaining.IndexOf('/');
            var raw = slash < 0 ? remaining : remaining[..slash];
            var isLast = slash < 0;
            if (raw.IsEmpty)
            {
                if (isLast)
                {
                    break; // one trailing slash: dropped (a missing segment is reported below)
                }

                detail = "empty path segment (//)";
                return CanonicalizationError.EmptySegment;
            }

            var error = PathSegment.Decode(raw, bytes, chars, out _, out var charCount, out detail);
            if (error != CanonicalizationError.None)
            {
                return error;
            }

            var decoded = chars[..charCount];
            if (PathSegment.IsDot(decoded) || PathSegment.IsDotDot(decoded))
            {
                detail = "dot segments are not allowed in Transactional paths";
                return CanonicalizationError.DotSegmentEscapesRoot;
            }

            count++;
            switch (count)
            {
                case 1 when decoded is "1.0" or "1.3":
                    break;
                case 1:
                    detail = "Transactional paths start /api/1.0/ or /api/1.3/";
                    return CanonicalizationError.NotAnApiPath;
                case 2 when TryIdentifier(decoded, group, out groupLength):
                    break;
                case 3:
                    var dot = decoded.IndexOf('.');
                    var nameSpan = dot < 0 ? decoded : decoded[..dot];
                    if (!TryIdentifier(nameSpan, name, out nameLength))
                    {
                        detail = "a Transactional method name holds only letters, digits, '-' and '_'";
                        return CanonicalizationError.NotAnApiPath;
                    }

                    if (dot >= 0)
                    {
                        var suffixSpan = decoded[(dot + 1)..];
                        if (suffixSpan.Length > suffix.Length)
                        {
                            detail = "unknown output format suffix";
                            return CanonicalizationError.NotAnApiPath;
                        }

                        suffixSpan.CopyTo(suffix);
                        suffixLength = suffixSpan.Length;
                    }

                    break;
                case 2:
                    detail = "a Transactional group name holds only letters, digits, '-' and '_'";
                    return CanonicalizationError.NotAnApiPath;
                default:
                    detail = "a Transactional path is /api/<version>/<group>/<method>: too many segments";
                    return CanonicalizationError.NotAnApiPath;
            }

            if (isLast)
            {
                break;
            }

            remaining = remaining[(slash + 1)..];
        }

        if (count != 3)
        {
            detail = "a Transactional path is /api/<version>/<group>/<method>";
            return CanonicalizationError.NotAnApiPath;
        }

        if (suffixLength >= 0)
        {
            var format = suffix[..suffixLength];
            if (format.Equals("xml", StringComparison.OrdinalIgnoreCase)
                || format.Equals("php", StringComparison.OrdinalIgnoreCase)
                || format.Equals("yaml", StringComparison.OrdinalIgnoreCase))
            {
                detail = "the gateway speaks JSON only: use the .json suffix or none";
                return CanonicalizationError.UnsupportedFormat;
            }

            if (!format.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                detail = "unknown output format suffix: use .json or none";
                return CanonicalizationError.NotAnApiPath;
            }
        }

        method = string.Concat(group[..groupLength], "/", name[..nameLength]);
        detail = null;
        return CanonicalizationError.None;
    }

    /// <summary>Lower-cases an identifier of <c>[A-Za-z0-9_-]</c> (at most 64 chars) into <paramref name="destination"/>.</summary>
    private static bool TryIdentifier(ReadOnlySpan<char> text, Span<char> destination, out int length)
    {
        length = 0;
        if (text.IsEmpty || text.Length > destination.Length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }

            destination[length++] = char.ToLowerInvariant(c);
        }

        return true;
    }
}
