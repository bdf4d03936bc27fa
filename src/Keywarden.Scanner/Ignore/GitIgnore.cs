using System.Text;
using Keywarden.Scanner.Git;

namespace Keywarden.Scanner.Ignore;

/// <summary>
/// What <c>--gitignore</c> knows about one scanned directory before walking it: the ignore rules from above it
/// (<c>.git/info/exclude</c> and the <c>.gitignore</c> files from the work tree's top down to its parent), where it is
/// in the work tree, whether it is ignored itself, and the tracked files that the rules match, which Git never ignores
/// (a committed secret must be found, whatever <c>.gitignore</c> says now). Outside a Git work tree the scanned
/// directory is taken as the top and only the <c>.gitignore</c> files in it apply.
/// </summary>
internal sealed class GitIgnore
{
    public const string FileName = ".gitignore";

    private readonly HashSet<string> _tracked;
    private readonly HashSet<string> _trackedDirectories;

    private GitIgnore(IgnoreStack? rules, string prefix, bool ignored, HashSet<string> tracked)
    {
        Rules = rules;
        Prefix = prefix;
        PrefixBytes = Encoding.UTF8.GetBytes(prefix);
        Ignored = ignored;
        _tracked = tracked;
        _trackedDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in tracked)
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                _trackedDirectories.Add(path[..slash]);
            }
        }
    }

    /// <summary>The rules that apply in the scanned directory, before its own <c>.gitignore</c>.</summary>
    public IgnoreStack? Rules { get; }

    /// <summary>The scanned directory's path from the work tree's top, '/' separated and ending in '/'; "" at the top.</summary>
    public string Prefix { get; }

    public byte[] PrefixBytes { get; }

    /// <summary>The scanned directory, or a directory above it in the work tree, is ignored: only tracked files count.</summary>
    public bool Ignored { get; }

    /// <summary>True when the file at <paramref name="path"/> (from the top) is tracked, so not ignored whatever the rules say.</summary>
    public bool IsTracked(string path) => _tracked.Contains(path);

    /// <summary>True when an ignored directory at <paramref name="path"/> (from the top) holds tracked files, so must be walked for them.</summary>
    public bool HoldsTracked(string path) => _trackedDirectories.Contains(path);

    /// <summary>Reads what applies to <paramref name="directory"/> (a full path), asking <c>git</c> when it is in a work tree.</summary>
    /// <exception cref="ScanException">It is in a work tree, and git cannot be run there.</exception>
    public static async Task<GitIgnore> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!IsInWorkTree(directory))
        {
            return new GitIgnore(null, "", ignored: false, tracked: []);
        }

        var lines = (await GitProcess.RunAsync(directory, ["rev-parse", "--show-toplevel", "--show-prefix", "--git-path", "info/exclude"], cancellationToken))
            .Split('\n');
        if (lines.Length != 3)
        {
            throw new ScanException($"--gitignore: unexpected answer from git rev-parse in {directory}");
        }

        var top = lines[0];
        var prefix = lines[1];
        var rules = IgnoreStack.Push(null, Read(Path.GetFullPath(lines[2], directory), ""));
        var ignored = false;
        var parent = "";
        foreach (var segment in prefix.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            rules = IgnoreStack.Push(rules, Read(Path.Combine(top, parent, FileName), parent));
            var path = parent + segment;
            if (rules is not null && rules.IsIgnored(Encoding.UTF8.GetBytes(path), isDirectory: true))
            {
                ignored = true;
                break;
            }

            parent = path + "/";
        }

        return new GitIgnore(rules, prefix, ignored, await TrackedAndMatchedAsync(directory, cancellationToken));
    }

    /// <summary>An ignore file's patterns; none when it does not exist or cannot be read (Git goes on without it too).</summary>
    public static IgnoreFile Read(string path, string directory)
    {
        try
        {
            return new IgnoreFile(directory, File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new IgnoreFile(directory, []);
        }
    }

    private static bool IsInWorkTree(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The tracked files under <paramref name="directory"/> that the ignore rules match, from the top.</summary>
    private static async Task<HashSet<string>> TrackedAndMatchedAsync(string directory, CancellationToken cancellationToken)
    {
        using var process = GitProcess.Start(directory, ["ls-files", "-z", "--cached", "--ignored", "--exclude-standard", "--full-name"]);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await GitProcess.EnsureSuccessAsync(process, error);
            return new HashSet<string>(output.Split('\0', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        }
        finally
        {
            GitProcess.Stop(process);
        }
    }
}
