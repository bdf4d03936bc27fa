namespace Keywarden.Scanner.Files;

/// <summary>
/// Lists the files under a directory: skips version-control directories and excluded paths, and follows no
/// symbolic links (a link could lead out of the tree, or back into it and scan a file twice).
/// </summary>
internal static class TargetWalker
{
    private static readonly HashSet<string> VcsDirectories = new(StringComparer.Ordinal) { ".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "CVS" };

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The files under <paramref name="root"/>, as full paths and '/' separated paths relative to it.</summary>
    public static IEnumerable<(string FullPath, string RelativePath)> Walk(string root, PathFilter filter)
    {
        var pending = new Stack<(DirectoryInfo Directory, string Relative)>();
        pending.Push((new DirectoryInfo(root), ""));
        while (pending.Count > 0)
        {
            var (directory, relative) = pending.Pop();
            foreach (var entry in directory.EnumerateFileSystemInfos("*", Options))
            {
                var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (entry is DirectoryInfo child)
                {
                    if (!VcsDirectories.Contains(entry.Name) && !filter.IsExcluded(path))
                    {
                        pending.Push((child, path));
                    }
                }
                else if (!filter.IsExcluded(path))
                {
                    yield return (entry.FullName, path);
                }
            }
        }
    }
}
