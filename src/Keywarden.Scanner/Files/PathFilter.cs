using Microsoft.Extensions.FileSystemGlobbing;

namespace Keywarden.Scanner.Files;

/// <summary>
/// Exclude globs on paths relative to a scanned directory, with '/' separators, matched by FileSystemGlobbing's
/// <see cref="Matcher"/> (case-sensitive). <c>*</c> stays within a segment, a <c>**</c> segment crosses directories. A glob
/// without '/' matches at any depth (<c>node_modules</c>, <c>*.min.js</c>: <c>**/</c> is put in front of it); a glob with
/// one matches from the root (<c>docs/**/*.md</c>, a leading '/' is ignored). A matching directory is not entered.
/// </summary>
/// <remarks>
/// The Matcher decides a whole directory's entries at once (<see cref="Keep"/>): it walks a <see cref="MatcherDirectory"/>
/// path down to that directory and tests each entry, so the walker can go on streaming files and never enters an
/// excluded directory, and the cost is one Matcher run per directory rather than per file.
/// </remarks>
internal sealed class PathFilter
{
    /// <summary>Paths from Git history decided so far: the same paths come back commit after commit.</summary>
    private const int PathCacheLimit = 1 << 16;

    private readonly Matcher? _matcher;
    private readonly Dictionary<string, bool> _pathCache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    /// <exception cref="ScanException">A glob uses <c>?</c>, which the Matcher does not support, or is malformed.</exception>
    public PathFilter(IEnumerable<string> globs)
    {
        foreach (var raw in globs)
        {
            try
            {
                foreach (var pattern in ToMatcherPatterns(raw))
                {
                    _matcher ??= new Matcher(StringComparison.Ordinal).AddInclude("**/*");
                    _matcher.AddExclude(pattern);
                }
            }
            catch (ArgumentException e)
            {
                throw new ScanException($"exclude glob '{raw}': {e.Message}", e);
            }
        }
    }

    public static PathFilter None { get; } = new([]);

    public bool IsEmpty => _matcher is null;

    /// <summary>
    /// The patterns the <see cref="Matcher"/> is given for an exclude glob, none for a blank one: separators made '/', a
    /// trailing '/' dropped, <c>**/</c> in front of a glob without '/' (it matches at any depth).
    /// </summary>
    internal static IEnumerable<string> ToMatcherPatterns(string raw)
    {
        var glob = raw.Replace('\\', '/').Trim().TrimEnd('/');
        if (glob.Length == 0)
        {
            return [];
        }

        if (glob.Contains('?', StringComparison.Ordinal))
        {
            throw new ScanException($"exclude glob '{raw}': '?' is not supported (use '*')");
        }

        if (!glob.Contains('/', StringComparison.Ordinal))
        {
            // One segment: a "**" in it cannot cross anything, so it is a "*".
            return ["**/" + Segment(glob)];
        }

        return Expand(glob.TrimStart('/').Split('/'), 0);
    }

    /// <summary>
    /// The Matcher reads a "**" inside a segment (<c>a**b</c>) as "*", where ours crosses directories: such a segment
    /// becomes two patterns, one that stays in the segment (<c>a*b</c>) and one that crosses (<c>a*/**/*b</c>).
    /// </summary>
    private static IEnumerable<string> Expand(string[] segments, int from)
    {
        for (var i = from; i < segments.Length; i++)
        {
            var star = segments[i].IndexOf("**", StringComparison.Ordinal);
            if (star >= 0 && segments[i] != "**")
            {
                var head = segments[i][..star];
                var tail = segments[i][(star + 2)..].TrimStart('*');
                string[] within = [.. segments[..i], head + "*" + tail, .. segments[(i + 1)..]];
                string[] across = [.. segments[..i], head + "*", "**", "*" + tail, .. segments[(i + 1)..]];
                return Expand(within, i).Concat(Expand(across, i + 2));
            }

            segments[i] = Segment(segments[i]);
        }

        return [string.Join('/', segments)];
    }

    /// <summary>
    /// One segment as the Matcher should read it, "**" inside it made "*". The Matcher reads a "*.*" segment as "*";
    /// "*.**" is the same test ("has a dot") without that rewrite.
    /// </summary>
    private static string Segment(string segment) => segment switch
    {
        "**" => segment,
        "*.*" => "*.**",
        _ => segment.Replace("**", "*", StringComparison.Ordinal),
    };

    /// <summary>
    /// Marks in <paramref name="kept"/> the entries of the directory <paramref name="directory"/> ('/' separated,
    /// "" for the root) that no exclude matches.
    /// </summary>
    public void Keep(string directory, IReadOnlyList<(string Name, bool IsDirectory)> entries, Span<bool> kept)
    {
        if (_matcher is null)
        {
            kept[..entries.Count].Fill(true);
            return;
        }

        // The path down to the directory, one MatcherDirectory a segment, then its entries.
        var root = new MatcherDirectory("", null);
        var leaf = root;
        if (directory.Length > 0)
        {
            foreach (var segment in directory.Split('/'))
            {
                var next = new MatcherDirectory(segment, leaf);
                leaf.Children.Add(next);
                leaf = next;
            }
        }

        foreach (var (name, isDirectory) in entries)
        {
            leaf.Children.Add(isDirectory ? new MatcherDirectory(name, leaf) : new MatcherFile(name, leaf));
        }

        var result = _matcher.Execute(root);
        if (!leaf.Entered)
        {
            kept[..entries.Count].Clear();
            return;
        }

        // The Matcher lists the files it keeps in the order it was given them, as paths from the root.
        var prefix = directory.Length == 0 ? 0 : directory.Length + 1;
        using var files = result.Files.GetEnumerator();
        var more = files.MoveNext();
        for (var i = 0; i < entries.Count; i++)
        {
            if (leaf.Children[i] is MatcherDirectory child)
            {
                kept[i] = child.Entered;
            }
            else if (more && files.Current.Path.AsSpan(prefix).SequenceEqual(entries[i].Name))
            {
                kept[i] = true;
                more = files.MoveNext();
            }
            else
            {
                kept[i] = false;
            }
        }
    }

    /// <summary>True when the file <paramref name="relativePath"/> ('/' separated), or a directory on its way, is excluded.</summary>
    public bool IsExcluded(string relativePath)
    {
        if (_matcher is null)
        {
            return false;
        }

        lock (_cacheLock)
        {
            if (_pathCache.TryGetValue(relativePath, out var cached))
            {
                return cached;
            }
        }

        var slash = relativePath.LastIndexOf('/');
        Span<bool> kept = stackalloc bool[1];
        Keep(slash < 0 ? "" : relativePath[..slash], [(relativePath[(slash + 1)..], false)], kept);
        lock (_cacheLock)
        {
            if (_pathCache.Count >= PathCacheLimit)
            {
                _pathCache.Clear();
            }

            _pathCache[relativePath] = !kept[0];
        }

        return !kept[0];
    }
}
