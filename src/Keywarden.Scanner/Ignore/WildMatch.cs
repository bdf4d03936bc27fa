namespace Keywarden.Scanner.Ignore;

/// <summary>
/// Git's glob matching (<c>wildmatch.c</c>), on UTF-8 bytes as Git compares them: <c>?</c>, <c>*</c>, <c>[…]</c> with
/// ranges, <c>!</c>/<c>^</c> negation and <c>[:class:]</c>, <c>\</c> escapes. With <c>pathname</c> (Git's WM_PATHNAME),
/// <c>*</c>, <c>?</c> and classes do not match '/', and a <c>**</c> between slashes (or at either end) matches any
/// number of directories. Case-sensitive (core.ignoreCase off, Git's default outside Windows and macOS).
/// </summary>
internal static class WildMatch
{
    private const int Matched = 0;
    private const int NoMatch = 1;
    private const int AbortAll = -1;
    private const int AbortToStarStar = -2;

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool pathname) =>
        Match(pattern, 0, text, 0, pathname) == Matched;

    /// <summary>Git's special characters: a pattern without them matches only its own bytes.</summary>
    public static bool IsGlobSpecial(byte c) => c is (byte)'*' or (byte)'?' or (byte)'[' or (byte)'\\';

    private static byte At(ReadOnlySpan<byte> s, int i) => i < s.Length ? s[i] : (byte)0;

    private static int Match(ReadOnlySpan<byte> pattern, int p, ReadOnlySpan<byte> text, int t, bool pathname)
    {
        for (; p < pattern.Length; p++, t++)
        {
            var pc = pattern[p];
            var tc = At(text, t);
            if (tc == 0 && pc != '*')
            {
                return AbortAll;
            }

            switch (pc)
            {
                case (byte)'\\':
                    // The next byte literally; a lone trailing backslash matches nothing.
                    if (At(pattern, ++p) != tc)
                    {
                        return NoMatch;
                    }

                    continue;
                case (byte)'?':
                    if (pathname && tc == '/')
                    {
                        return NoMatch;
                    }

                    continue;
                case (byte)'*':
                    var star = Star(pattern, ref p, text, ref t, pathname);
                    if (star != null)
                    {
                        return star.Value;
                    }

                    continue;
                case (byte)'[':
                    var set = Class(pattern, ref p, tc);
                    if (set != Matched)
                    {
                        return set;
                    }

                    if (pathname && tc == '/')
                    {
                        return NoMatch;
                    }

                    continue;
                default:
                    if (tc != pc)
                    {
                        return NoMatch;
                    }

                    continue;
            }
        }

        return t < text.Length ? NoMatch : Matched;
    }

    /// <summary>
    /// A <c>*</c> or <c>**</c> at <paramref name="p"/>: the result, or null when the pattern goes on at <paramref name="p"/>
    /// and <paramref name="t"/> (a single <c>*</c> before a '/' consumed the rest of the segment).
    /// </summary>
    private static int? Star(ReadOnlySpan<byte> pattern, ref int p, ReadOnlySpan<byte> text, ref int t, bool pathname)
    {
        bool matchSlash;
        if (At(pattern, p + 1) == '*')
        {
            var before = p - 1;
            p++;
            while (At(pattern, ++p) == '*')
            {
            }

            if ((before < 0 || pattern[before] == '/')
                && (At(pattern, p) == 0 || At(pattern, p) == '/' || (At(pattern, p) == '\\' && At(pattern, p + 1) == '/')))
            {
                // "**/" may match no directory at all: "a/**/b" matches "a/b".
                if (At(pattern, p) == '/' && Match(pattern, p + 1, text, t, pathname) == Matched)
                {
                    return Matched;
                }

                matchSlash = true;
            }
            else
            {
                matchSlash = false;
            }
        }
        else
        {
            p++;
            matchSlash = !pathname;
        }

        if (At(pattern, p) == 0)
        {
            // A trailing "**" matches everything; a trailing "*" only what has no more slashes.
            return !matchSlash && text[t..].Contains((byte)'/') ? NoMatch : Matched;
        }

        if (!matchSlash && At(pattern, p) == '/')
        {
            // One "*" before a slash matches the rest of this segment; the loop then matches the slashes.
            var slash = text[t..].IndexOf((byte)'/');
            if (slash < 0)
            {
                return NoMatch;
            }

            t += slash;
            return null;
        }

        var tc = At(text, t);
        while (tc != 0)
        {
            // Skip quickly to the next place the literal after the star can start.
            var next = At(pattern, p);
            if (!IsGlobSpecial(next))
            {
                while ((tc = At(text, t)) != 0 && (matchSlash || tc != '/') && tc != next)
                {
                    t++;
                }

                if (tc != next)
                {
                    return NoMatch;
                }
            }

            var rest = Match(pattern, p, text, t, pathname);
            if (rest != NoMatch)
            {
                if (!matchSlash || rest != AbortToStarStar)
                {
                    return rest;
                }
            }
            else if (!matchSlash && tc == '/')
            {
                return AbortToStarStar;
            }

            tc = At(text, ++t);
        }

        return AbortAll;
    }

    /// <summary>A <c>[…]</c> at <paramref name="p"/> (left on its ']'): Matched when <paramref name="tc"/> is in it.</summary>
    private static int Class(ReadOnlySpan<byte> pattern, ref int p, byte tc)
    {
        var pc = At(pattern, ++p);
        if (pc == '^')
        {
            pc = (byte)'!';
        }

        var negated = pc == '!';
        if (negated)
        {
            pc = At(pattern, ++p);
        }

        byte previous = 0;
        var matched = false;
        do
        {
            if (pc == 0)
            {
                return AbortAll;
            }

            if (pc == '\\')
            {
                pc = At(pattern, ++p);
                if (pc == 0)
                {
                    return AbortAll;
                }

                matched |= tc == pc;
            }
            else if (pc == '-' && previous != 0 && At(pattern, p + 1) != 0 && At(pattern, p + 1) != ']')
            {
                pc = At(pattern, ++p);
                if (pc == '\\')
                {
                    pc = At(pattern, ++p);
                    if (pc == 0)
                    {
                        return AbortAll;
                    }
                }

                matched |= tc <= pc && tc >= previous;
                pc = 0; // a range does not start another
            }
            else if (pc == '[' && At(pattern, p + 1) == ':')
            {
                var start = p + 2;
                var end = start;
                while (At(pattern, end) != 0 && At(pattern, end) != ']')
                {
                    end++;
                }

                if (At(pattern, end) == 0)
                {
                    return AbortAll;
                }

                if (end - start - 1 < 0 || pattern[end - 1] != ':')
                {
                    // No ":]": the '[' is an ordinary member.
                    matched |= tc == '[';
                }
                else
                {
                    p = end;
                    var name = pattern[start..(end - 1)];
                    if (!IsInClass(name, tc, out var known))
                    {
                        if (!known)
                        {
                            return AbortAll;
                        }
                    }
                    else
                    {
                        matched = true;
                    }

                    pc = 0;
                }
            }
            else
            {
                matched |= tc == pc;
            }

            previous = pc;
            pc = At(pattern, ++p);
        }
        while (pc != ']');

        return matched == negated ? NoMatch : Matched;
    }

    /// <summary>The POSIX classes Git knows, for ASCII bytes only (as Git's sane_ctype).</summary>
    private static bool IsInClass(ReadOnlySpan<byte> name, byte c, out bool known)
    {
        known = true;
        var ch = (char)c;
        var alpha = char.IsAsciiLetter(ch);
        var digit = char.IsAsciiDigit(ch);
        var graph = c is > 0x20 and < 0x7f;
        if (name.SequenceEqual("alnum"u8)) return alpha || digit;
        if (name.SequenceEqual("alpha"u8)) return alpha;
        if (name.SequenceEqual("blank"u8)) return c is (byte)' ' or (byte)'\t';
        if (name.SequenceEqual("cntrl"u8)) return c is < 0x20 or 0x7f;
        if (name.SequenceEqual("digit"u8)) return digit;
        if (name.SequenceEqual("graph"u8)) return graph;
        if (name.SequenceEqual("lower"u8)) return char.IsAsciiLetterLower(ch);
        if (name.SequenceEqual("print"u8)) return c is >= 0x20 and < 0x7f;
        if (name.SequenceEqual("punct"u8)) return graph && !alpha && !digit;
        if (name.SequenceEqual("space"u8)) return c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
        if (name.SequenceEqual("upper"u8)) return char.IsAsciiLetterUpper(ch);
        if (name.SequenceEqual("xdigit"u8)) return char.IsAsciiHexDigit(ch);
        known = false;
        return false;
    }
}
