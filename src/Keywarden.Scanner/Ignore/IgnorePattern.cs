namespace Keywarden.Scanner.Ignore;

/// <summary>One pattern line of an ignore file, parsed as Git's <c>parse_path_pattern</c> does.</summary>
internal sealed class IgnorePattern
{
    private readonly byte[] _pattern;
    private readonly Kind _kind;

    private IgnorePattern(byte[] pattern, bool negative, bool directoryOnly, bool basenameOnly)
    {
        _pattern = pattern;
        Negative = negative;
        DirectoryOnly = directoryOnly;
        BasenameOnly = basenameOnly;
        if (!pattern.AsSpan().ContainsAny("*?[\\"u8))
        {
            _kind = Kind.Literal;
        }
        else if (basenameOnly && pattern.Length > 1 && pattern[0] == '*' && !pattern.AsSpan(1).ContainsAny("*?[\\"u8))
        {
            _kind = Kind.Suffix; // "*.log": the name ends with ".log" (a name has no '/')
        }
    }

    private enum Kind
    {
        Glob,
        Literal,
        Suffix,
    }

    /// <summary><c>!pattern</c>: a path it matches is not ignored (unless a directory above it is).</summary>
    public bool Negative { get; }

    /// <summary><c>pattern/</c>: matches directories only.</summary>
    public bool DirectoryOnly { get; }

    /// <summary>No '/' (but a trailing one): matched against the name at any depth below the ignore file.</summary>
    public bool BasenameOnly { get; }

    /// <summary>
    /// The pattern of one line (a trailing CR, and trailing spaces not escaped with '\', already removed), or null for
    /// a line that holds none.
    /// </summary>
    public static IgnorePattern? Parse(ReadOnlySpan<byte> line)
    {
        var negative = line.Length > 0 && line[0] == '!';
        if (negative)
        {
            line = line[1..];
        }

        var directoryOnly = line.Length > 0 && line[^1] == '/';
        if (directoryOnly)
        {
            line = line[..^1];
        }

        if (line.Length == 0)
        {
            return null;
        }

        var basenameOnly = !line.Contains((byte)'/');
        // A leading '/' anchors the pattern to the ignore file's directory, as any other '/' does; it is not matched.
        if (!basenameOnly && line[0] == '/')
        {
            line = line[1..];
        }

        return new IgnorePattern(line.ToArray(), negative, directoryOnly, basenameOnly);
    }

    /// <summary>
    /// True when the pattern matches: <paramref name="name"/> (the last segment) for a basename pattern, else
    /// <paramref name="relative"/> (the path below the ignore file's directory).
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> relative, ReadOnlySpan<byte> name, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
        {
            return false;
        }

        var text = BasenameOnly ? name : relative;
        return _kind switch
        {
            Kind.Literal => text.SequenceEqual(_pattern),
            Kind.Suffix => text.EndsWith(_pattern.AsSpan(1)),
            _ => WildMatch.IsMatch(_pattern, text, pathname: !BasenameOnly),
        };
    }
}
