namespace Keywarden.Core.Policy;

/// <summary>
/// Globs on the canonical Marketing path after <c>/3.0</c>, e.g. <c>/lists/*/members/**</c>.
/// </summary>
/// <remarks>
/// A glob is a list of segments separated by <c>/</c>; empty segments (leading, trailing or doubled slashes) are
/// ignored. <c>**</c> matches any number of path segments, zero included; <c>*</c> matches exactly one; a segment
/// written <c>{name}</c>, as in Mailchimp's reference (<c>/lists/{list_id}/members</c>), is the same as <c>*</c>.
/// Any other segment is literal (a <c>*</c> inside it included) and compared exactly, case included.
/// So <c>/lists/**</c> matches <c>/lists</c> and everything under it but not <c>/LISTS</c>, <c>/**</c> matches every
/// path, and <c>/</c> matches only the root. Matching allocates nothing.
/// <para>Case-sensitive because the gateway forwards the path in the client's case (ids can be case-sensitive, so it
/// cannot fold them): a case-insensitive match would let <c>/lists/shop-a/**</c> reach a store <c>SHOP-A</c>. Default
/// deny: a segment that differs only in case is a different path. Mailchimp's own paths are lower case.</para>
/// </remarks>
public static class PathGlob
{
    /// <summary>True when <paramref name="canonicalPath"/> (e.g. <c>/lists/a/members</c>) matches <paramref name="glob"/>.</summary>
    /// <remarks>A path that is not canonical (not starting with <c>/</c>, with an empty segment or a trailing slash) matches nothing.</remarks>
    public static bool IsMatch(string glob, string canonicalPath)
    {
        ArgumentNullException.ThrowIfNull(glob);
        ArgumentNullException.ThrowIfNull(canonicalPath);
        if (!canonicalPath.StartsWith('/')
            || (canonicalPath.Length > 1 && canonicalPath.EndsWith('/'))
            || canonicalPath.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }

        // Wildcard matching over segments: "**" plays '*', "*" plays '?'. Greedy with one backtrack point is exact
        // for that pair: a later "**" only ever needs the most recent one to absorb more.
        var g = 0;
        var p = 0;
        var starGlob = -1;
        var starPath = -1;
        while (true)
        {
            var hasGlob = NextGlobSegment(glob, g, out var globStart, out var globLength, out var globNext);
            if (!NextPathSegment(canonicalPath, p, out var pathStart, out var pathLength, out var pathNext))
            {
                while (hasGlob && IsAnySegments(glob.AsSpan(globStart, globLength)))
                {
                    hasGlob = NextGlobSegment(glob, globNext, out globStart, out globLength, out globNext);
                }

                return !hasGlob;
            }

            if (hasGlob)
            {
                var globSegment = glob.AsSpan(globStart, globLength);
                if (IsAnySegments(globSegment))
                {
                    starGlob = globNext;
                    starPath = p;
                    g = globNext;
                    continue;
                }

                if (IsOneSegment(globSegment)
                    || globSegment.SequenceEqual(canonicalPath.AsSpan(pathStart, pathLength)))
                {
                    g = globNext;
                    p = pathNext;
                    continue;
                }
            }

            if (starGlob < 0)
            {
                return false;
            }

            // Let the last "**" absorb one more path segment and retry from there.
            NextPathSegment(canonicalPath, starPath, out _, out _, out starPath);
            p = starPath;
            g = starGlob;
        }
    }

    /// <summary>True for a glob segment that matches exactly one path segment: <c>*</c> or <c>{name}</c>.</summary>
    internal static bool IsOneSegment(ReadOnlySpan<char> segment) =>
        segment is "*" || (segment.Length >= 2 && segment[0] == '{' && segment[^1] == '}' && segment[1..^1].IndexOfAny('{', '}') < 0);

    private static bool IsAnySegments(ReadOnlySpan<char> segment) => segment is "**";

    private static bool NextGlobSegment(string glob, int position, out int start, out int length, out int next)
    {
        while (position < glob.Length && glob[position] == '/')
        {
            position++;
        }

        start = position;
        var end = glob.IndexOf('/', position);
        end = end < 0 ? glob.Length : end;
        length = end - start;
        next = end;
        return length > 0;
    }

    private static bool NextPathSegment(string path, int position, out int start, out int length, out int next)
    {
        // Canonical: "/" is the root (no segment); otherwise "/seg/seg" with no empty segment.
        start = position + 1;
        if (start >= path.Length)
        {
            length = 0;
            next = path.Length;
            return false;
        }

        var end = path.IndexOf('/', start);
        end = end < 0 ? path.Length : end;
        length = end - start;
        next = end;
        return true;
    }
}
