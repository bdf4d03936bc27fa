using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Scanner.Files;

/// <summary>
/// Exclude globs on paths relative to a scanned directory, with '/' separators. <c>*</c> and <c>?</c> stay within a
/// segment, <c>**</c> crosses segments. A glob without '/' matches any single segment (<c>node_modules</c>,
/// <c>*.min.js</c>); a glob with one matches from the root (<c>docs/**/*.md</c>, a leading '/' is ignored).
/// A matching directory is not entered.
/// </summary>
internal sealed class PathFilter
{
    private readonly Regex[] _segmentGlobs;
    private readonly Regex[] _pathGlobs;

    public PathFilter(IEnumerable<string> globs)
    {
        var segment = new List<Regex>();
        var path = new List<Regex>();
        foreach (var raw in globs)
        {
            var glob = raw.Replace('\\', '/').Trim().TrimEnd('/');
            if (glob.Length == 0)
            {
                continue;
            }

            if (glob.Contains('/', StringComparison.Ordinal))
            {
                path.Add(ToRegex(glob.TrimStart('/')));
            }
            else
            {
                segment.Add(ToRegex(glob));
            }
        }

        _segmentGlobs = [.. segment];
        _pathGlobs = [.. path];
    }

    public static PathFilter None { get; } = new([]);

    public bool IsEmpty => _segmentGlobs.Length == 0 && _pathGlobs.Length == 0;

    /// <summary>True when <paramref name="relativePath"/> (a file or directory, '/' separated) is excluded.</summary>
    public bool IsExcluded(string relativePath)
    {
        if (IsEmpty)
        {
            return false;
        }

        foreach (var glob in _pathGlobs)
        {
            if (glob.IsMatch(relativePath))
            {
                return true;
            }
        }

        if (_segmentGlobs.Length > 0)
        {
            var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
            foreach (var glob in _segmentGlobs)
            {
                if (glob.IsMatch(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                i++;
                if (i + 1 < glob.Length && glob[i + 1] == '/')
                {
                    i++;
                    pattern.Append("(?:.*/)?"); // "**/" is zero or more whole segments
                }
                else
                {
                    pattern.Append(".*");
                }
            }
            else if (c == '*')
            {
                pattern.Append("[^/]*");
            }
            else if (c == '?')
            {
                pattern.Append("[^/]");
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        pattern.Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
