using Keywarden.Scanner.Files;
using Keywarden.Scanner.Ignore;
using Keywarden.Testing;

namespace Keywarden.Scanner.Tests.Ignore;

/// <summary>
/// A work tree to judge <c>--gitignore</c> on: files, ignore files (<c>.gitignore</c> anywhere, <c>.git/info/exclude</c>
/// under the name <see cref="InfoExclude"/>), files committed with <c>git add -f</c>, and the directory to scan.
/// </summary>
internal sealed record IgnoreScenario(
    IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> IgnoreFiles, IReadOnlyList<string> Tracked, string Target)
{
    public const string InfoExclude = ".git/info/exclude";

    /// <summary>The files Git lists in the target: tracked ones, and untracked ones it does not ignore.</summary>
    public static IReadOnlySet<string> GitChoice(TestRepository repository, string target)
    {
        var directory = Path.Combine(repository.Path, target);
        // No user-wide excludes file: the scanner does not read one either.
        var output = repository.Exec("git", ["-C", directory, "-c", "core.excludesFile=" + Path.Combine(repository.Path, ".git", "none"),
            "ls-files", "-z", "--cached", "--others", "--exclude-standard"], []).Output;
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The files the scanner's walk picks in the target with <c>--gitignore</c>.</summary>
    public static async Task<IReadOnlySet<string>> ScannerChoiceAsync(string directory) =>
        new TargetWalker(directory, PathFilter.None, await GitIgnore.LoadAsync(directory, TestContext.Current.CancellationToken))
            .Files().Select(file => file.RelativePath).ToHashSet(StringComparer.Ordinal);

    /// <summary>Writes the scenario into a new repository.</summary>
    public TestRepository Create()
    {
        var repository = new TestRepository();
        foreach (var file in Files)
        {
            repository.Write(file, "x\n");
        }

        foreach (var (path, content) in IgnoreFiles)
        {
            repository.Write(path, content);
        }

        if (Tracked.Count > 0)
        {
            repository.Git(["add", "-f", "--", .. Tracked]);
        }

        return repository;
    }

    public override string ToString() =>
        $"files: {string.Join(' ', Files)}\ntracked: {string.Join(' ', Tracked)}\ntarget: {Target}\n"
        + string.Concat(IgnoreFiles.Select(f => $"--- {f.Key}\n{f.Value.Replace(" ", "·", StringComparison.Ordinal)}\n"));
}
