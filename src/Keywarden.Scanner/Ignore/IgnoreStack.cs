namespace Keywarden.Scanner.Ignore;

/// <summary>
/// The ignore files that apply in one directory, in Git's order of precedence: that directory's <c>.gitignore</c>,
/// then each parent's up to the work tree's top, then <c>.git/info/exclude</c>. The first file with a matching
/// pattern decides (its last one); a directory shares its parent's stack unless it has a <c>.gitignore</c> of its own.
/// </summary>
internal sealed class IgnoreStack
{
    private readonly IgnoreFile _file;
    private readonly IgnoreStack? _next;

    private IgnoreStack(IgnoreFile file, IgnoreStack? next)
    {
        _file = file;
        _next = next;
    }

    public static IgnoreStack? Push(IgnoreStack? stack, IgnoreFile file) => file.IsEmpty ? stack : new IgnoreStack(file, stack);

    /// <summary>
    /// True when the patterns ignore <paramref name="path"/> (relative to the work tree's top, '/' separated, as UTF-8)
    /// itself; whether a directory above it is ignored is the caller's to know (it does not walk into one).
    /// </summary>
    public bool IsIgnored(ReadOnlySpan<byte> path, bool isDirectory)
    {
        var nameStart = path.LastIndexOf((byte)'/') + 1;
        for (var stack = this; stack is not null; stack = stack._next)
        {
            if (stack._file.LastMatch(path, nameStart, isDirectory) is { } pattern)
            {
                return !pattern.Negative;
            }
        }

        return false;
    }
}
