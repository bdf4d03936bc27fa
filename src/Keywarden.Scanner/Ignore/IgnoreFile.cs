namespace Keywarden.Scanner.Ignore;

/// <summary>
/// The patterns of one ignore file (a <c>.gitignore</c>, or <c>.git/info/exclude</c>), read as Git reads them: a UTF-8
/// BOM skipped, blank lines and <c>#</c> comments skipped, a CR before the LF dropped, trailing spaces dropped unless
/// escaped with '\'. Patterns are relative to the directory that holds the file.
/// </summary>
internal sealed class IgnoreFile
{
    private readonly IgnorePattern[] _patterns;
    private readonly byte[] _directory;

    /// <param name="directory">The file's directory relative to the work tree's top, '/' separated and ending in '/'; "" for the top.</param>
    /// <param name="content">The file's bytes.</param>
    public IgnoreFile(string directory, ReadOnlySpan<byte> content)
    {
        _directory = System.Text.Encoding.UTF8.GetBytes(directory);
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (content.StartsWith(bom))
        {
            content = content[bom.Length..];
        }

        var patterns = new List<IgnorePattern>();
        foreach (var range in content.Split((byte)'\n'))
        {
            var line = content[range];
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (IgnorePattern.Parse(TrimTrailingSpaces(line)) is { } pattern)
            {
                patterns.Add(pattern);
            }
        }

        _patterns = [.. patterns];
    }

    public bool IsEmpty => _patterns.Length == 0;

    /// <summary>
    /// The last pattern that matches <paramref name="path"/> (relative to the work tree's top; its last segment starts
    /// at <paramref name="nameStart"/>), or null: in one file, the last match decides.
    /// </summary>
    public IgnorePattern? LastMatch(ReadOnlySpan<byte> path, int nameStart, bool isDirectory)
    {
        // Anchored patterns see the path below this file's directory; a path not below it is matched by none of them.
        var below = path.Length > _directory.Length && path.StartsWith(_directory);
        var relative = below ? path[_directory.Length..] : default;
        var name = path[nameStart..];
        for (var i = _patterns.Length - 1; i >= 0; i--)
        {
            var pattern = _patterns[i];
            if ((below || pattern.BasenameOnly) && pattern.Matches(relative, name, isDirectory))
            {
                return pattern;
            }
        }

        return null;
    }

    /// <summary>Git's <c>trim_trailing_spaces</c>: spaces at the end go, unless the first of them is escaped.</summary>
    private static ReadOnlySpan<byte> TrimTrailingSpaces(ReadOnlySpan<byte> line)
    {
        var lastSpace = -1;
        for (var i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case (byte)' ':
                    if (lastSpace < 0)
                    {
                        lastSpace = i;
                    }

                    break;
                case (byte)'\\':
                    i++;
                    if (i >= line.Length)
                    {
                        return line;
                    }

                    lastSpace = -1;
                    break;
                default:
                    lastSpace = -1;
                    break;
            }
        }

        return lastSpace >= 0 ? line[..lastSpace] : line;
    }
}
