using System.Text;
using Keywarden.Scanner.Ignore;

namespace Keywarden.Scanner.Files;

/// <summary>
/// Lists the files under a directory: skips version-control directories, excluded paths and, with
/// <c>--gitignore</c>, what Git ignores; follows no symbolic links (a link could lead out of the tree, or back into it
/// and scan a file twice). An excluded or ignored directory is not entered.
/// </summary>
internal sealed class TargetWalker(string root, PathFilter filter, GitIgnore? ignore)
{
    private static readonly HashSet<string> VcsDirectories = new(StringComparer.Ordinal) { ".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "CVS" };

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    private long _ignored;

    /// <summary>Files and directories skipped because Git ignores them, a directory once (what is in it is not read).</summary>
    public long IgnoredPaths => Interlocked.Read(ref _ignored);

    /// <summary>The files under the root, as full paths and '/' separated paths relative to it; walked as they are enumerated.</summary>
    public IEnumerable<(string FullPath, string RelativePath)> Files()
    {
        var entries = new List<FileSystemInfo>();
        var names = new List<(string Name, bool IsDirectory)>();
        var kept = new bool[64];
        var utf8 = new byte[256];
        var pending = new Stack<(DirectoryInfo Directory, string Relative, IgnoreStack? Rules, bool InIgnored)>();
        if (ignore is { Ignored: true })
        {
            Interlocked.Increment(ref _ignored);
        }

        pending.Push((new DirectoryInfo(root), "", ignore?.Rules, ignore?.Ignored ?? false));
        while (pending.Count > 0)
        {
            var (directory, relative, rules, inIgnored) = pending.Pop();
            entries.Clear();
            foreach (var entry in directory.EnumerateFileSystemInfos("*", Options))
            {
                if (entry is not DirectoryInfo || !VcsDirectories.Contains(entry.Name))
                {
                    entries.Add(entry);
                }
            }

            if (ignore is not null && !inIgnored
                && entries.Find(e => e is FileInfo && e.Name == GitIgnore.FileName) is { } gitignore)
            {
                rules = IgnoreStack.Push(rules, GitIgnore.Read(gitignore.FullName, ignore.Prefix + (relative.Length == 0 ? "" : relative + "/")));
            }

            if (!filter.IsEmpty)
            {
                names.Clear();
                foreach (var entry in entries)
                {
                    names.Add((entry.Name, entry is DirectoryInfo));
                }

                if (kept.Length < names.Count)
                {
                    kept = new bool[names.Count * 2];
                }

                filter.Keep(relative, names, kept);
            }

            for (var i = 0; i < entries.Count; i++)
            {
                if (!filter.IsEmpty && !kept[i])
                {
                    continue;
                }

                var entry = entries[i];
                var isDirectory = entry is DirectoryInfo;
                var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                var entryInIgnored = inIgnored;
                if (ignore is not null && (inIgnored || IsIgnored(rules, ignore.PrefixBytes, path, isDirectory, ref utf8)))
                {
                    // Git never ignores a tracked file: in an ignored directory, only those are scanned.
                    var fromTop = ignore.Prefix + path;
                    var tracked = isDirectory ? ignore.HoldsTracked(fromTop) : ignore.IsTracked(fromTop);
                    if (!inIgnored && !(tracked && !isDirectory))
                    {
                        Interlocked.Increment(ref _ignored);
                    }

                    if (!tracked)
                    {
                        continue;
                    }

                    entryInIgnored = isDirectory;
                }

                if (entry is DirectoryInfo child)
                {
                    pending.Push((child, path, rules, entryInIgnored));
                }
                else
                {
                    yield return (entry.FullName, path);
                }
            }
        }
    }

    /// <summary>The rules' verdict on the path from the work tree's top (prefix + path), encoded into a reused buffer.</summary>
    private static bool IsIgnored(IgnoreStack? rules, byte[] prefix, string path, bool isDirectory, ref byte[] buffer)
    {
        if (rules is null)
        {
            return false;
        }

        var length = prefix.Length + Encoding.UTF8.GetMaxByteCount(path.Length);
        if (buffer.Length < length)
        {
            buffer = new byte[length * 2];
        }

        prefix.CopyTo(buffer, 0);
        var written = Encoding.UTF8.GetBytes(path, buffer.AsSpan(prefix.Length));
        return rules.IsIgnored(buffer.AsSpan(0, prefix.Length + written), isDirectory);
    }
}
