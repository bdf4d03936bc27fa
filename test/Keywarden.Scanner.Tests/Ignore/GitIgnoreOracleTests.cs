using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Keywarden.Scanner.Tests.Ignore;

/// <summary>
/// <c>--gitignore</c> picks the files Git lists (<c>git ls-files --cached --others --exclude-standard</c>): the real
/// <c>git</c> is the oracle, on generated trees and ignore files, and on the cases that are easy to get wrong.
/// </summary>
public sealed class GitIgnoreOracleTests
{
    private static readonly string[] DirectoryNames = ["a", "b", "build", "logs", "sub dir"];
    private static readonly string[] FileNames = ["x.log", "keep.txt", ".env", "a.js", "b", "c.txt", "logs.txt", "[x].txt", "!x", "#c", "d "];

    private static readonly string[] PatternBodies =
    [
        "a", "b", "build", "logs", "*.log", "*", "**", "x.log", "keep.txt", ".env", "*.js", "b*", "?.txt", "[ab]", "[!a]*",
        "c.txt", "**/a", "a/**", "a/**/x.log", "a/*", "*/x.log", "b/**/*.txt", "logs/*.log", "a/b", "build/keep.txt", "sub dir",
        "sub\\ dir", "\\[x].txt", "[[:alpha:]].js", "\\!x", "\\#c", "d\\ ", "**/b/*", "a/**/b", "*.txt", "[a-c].txt", "***",
    ];

    private static readonly Gen<string> Pattern =
        from body in Gen.Elements(PatternBodies)
        from negate in Gen.Frequency((3, Gen.Constant("")), (1, Gen.Constant("!")))
        from anchor in Gen.Frequency((5, Gen.Constant("")), (1, Gen.Constant("/")))
        from directory in Gen.Frequency((5, Gen.Constant("")), (1, Gen.Constant("/")))
        from spaces in Gen.Frequency((9, Gen.Constant("")), (1, Gen.Constant("  ")))
        select negate + anchor + body + directory + spaces;

    private static readonly Gen<string> IgnoreFile =
        Gen.Choose(1, 5).SelectMany(count => Gen.ArrayOf(Pattern, count)).Select(lines => string.Join('\n', lines) + "\n");

    private static readonly Gen<IgnoreScenario> Scenarios =
        from paths in Gen.Choose(1, 14).SelectMany(count => Gen.ArrayOf(FilePath, count))
        let files = WithoutClashes(paths)
        let directories = files.SelectMany(Ancestors).Distinct().Order(StringComparer.Ordinal).ToList()
        from root in IgnoreFile
        from nestedCount in Gen.Choose(0, Math.Min(3, directories.Count))
        from nested in Gen.ArrayOf(Gen.Elements(directories.DefaultIfEmpty("")).Zip(IgnoreFile), nestedCount)
        from exclude in Gen.Frequency((2, Gen.Constant<string?>(null)), (1, IgnoreFile.Select(text => (string?)text)))
        from tracked in Gen.SubListOf<string>(files)
        from target in Gen.Frequency((3, Gen.Constant("")), (1, Gen.Elements(directories.DefaultIfEmpty(""))))
        select new IgnoreScenario(
            files,
            nested.Where(n => directories.Contains(n.Item1)).DistinctBy(n => n.Item1)
                .Select(n => (Path: n.Item1 + "/.gitignore", Text: n.Item2))
                .Append((Path: ".gitignore", Text: root))
                .Concat(exclude is null ? [] : [(Path: IgnoreScenario.InfoExclude, Text: exclude)])
                .ToDictionary(f => f.Path, f => f.Text),
            [.. tracked],
            target);

    private static Gen<string> FilePath =>
        from depth in Gen.Choose(0, 3)
        from directories in Gen.ArrayOf(Gen.Elements(DirectoryNames), depth)
        from name in Gen.Elements(FileNames)
        select string.Join('/', directories.Append(name));

    [Property(MaxTest = 60)]
    public Property WalkWithGitignore_PicksTheFilesGitLists() =>
        Prop.ForAll(Arb.From(Scenarios), scenario => AgreesWithGitAsync(scenario));

    [Theory]
    [InlineData("*.log\n!keep.log", "x.log keep.log a/keep.log a/y.log", "")]
    [InlineData("build/\n!build/keep.txt", "build/keep.txt build/x.txt", "")]
    [InlineData("build/", "build a/build/x.txt", "")]
    [InlineData("/a.js", "a.js b/a.js", "")]
    [InlineData("**/logs\na/**/x.log\nb/**", "logs/y.txt a/logs/y.txt a/x.log a/c/d/x.log b/y.txt c/b/y.txt", "")]
    [InlineData("*.txt\n!/a/keep.txt", "keep.txt a/keep.txt a/c.txt", "")]
    [InlineData("\\!x\n\\#c\nd\\ \nc.txt   \n#c.txt", "!x #c d  c.txt e.txt", "")]
    [InlineData("\uFEFFbuild\r\n*.log\r\n", "build/x.txt x.log y.txt", "")]
    [InlineData("[ab].txt\n[!a]*.js\n[[:digit:]]*", "a.txt b.txt c.txt a.js b.js 1.md", "")]
    [InlineData("a/*.log", "a/x.log a/b/x.log x.log", "")]
    [InlineData("logs/", "logs/x a/logs/y b/logs", "")]
    [InlineData("*\n!*/\n!*.txt", "x.log a/b.txt a/c.log", "")]
    [InlineData("a/\n!a/", "a/x.txt", "")]
    [InlineData("sub/", "sub/x.txt sub/a/y.txt", "sub/a")]
    [InlineData("*.txt", "a/x.txt a/y.log", "a")]
    public async Task WalkWithGitignore_AgreesWithGit_OnHardCases(string gitignore, string files, string target)
    {
        var paths = files.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // "d " ends in a space, so it is written as "d" followed by another space.
        paths = [.. paths.Select(p => p == "d" ? "d " : p)];
        var scenario = new IgnoreScenario(paths, new Dictionary<string, string> { [".gitignore"] = gitignore }, [], target);

        Assert.True(await AgreesWithGitAsync(scenario), scenario.ToString());
    }

    [Fact]
    public async Task WalkWithGitignore_KeepsTrackedFiles_EvenInIgnoredDirectories()
    {
        var scenario = new IgnoreScenario(
            ["build/keep.txt", "build/x.txt", "build/deep/kept.log", "a/x.log"],
            new Dictionary<string, string> { [".gitignore"] = "build/\n*.log\n", [IgnoreScenario.InfoExclude] = "a/\n" },
            ["build/keep.txt", "build/deep/kept.log"],
            "");

        Assert.True(await AgreesWithGitAsync(scenario), scenario.ToString());
        using var repository = scenario.Create();
        Assert.Equal(
            [".gitignore", "build/deep/kept.log", "build/keep.txt"],
            (await IgnoreScenario.ScannerChoiceAsync(repository.Path)).Order(StringComparer.Ordinal));
    }

    private static async Task<bool> AgreesWithGitAsync(IgnoreScenario scenario)
    {
        using var repository = scenario.Create();
        var git = IgnoreScenario.GitChoice(repository, scenario.Target);
        var ours = await IgnoreScenario.ScannerChoiceAsync(Path.Combine(repository.Path, scenario.Target));
        Assert.True(git.SetEquals(ours), $"{scenario}\ngit only: {string.Join(", ", git.Except(ours))}\nscanner only: {string.Join(", ", ours.Except(git))}");
        return true;
    }

    /// <summary>A path that is another's directory cannot also be a file.</summary>
    private static List<string> WithoutClashes(IEnumerable<string> paths)
    {
        var files = paths.Distinct(StringComparer.Ordinal).ToList();
        var directories = files.SelectMany(Ancestors).ToHashSet(StringComparer.Ordinal);
        return [.. files.Where(f => !directories.Contains(f))];
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }
}
