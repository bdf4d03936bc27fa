using Keywarden.Scanner.Files;

namespace Keywarden.Scanner.Tests.Files;

public sealed class PathFilterTests
{
    [Theory]
    [InlineData("node_modules", "node_modules/lib/index.js", true)]
    [InlineData("node_modules", "src/node_modules/a.js", true)]
    [InlineData("node_modules", "src/node_modules_old/a.js", false)]
    [InlineData("Node_Modules", "node_modules/a.js", false)]
    [InlineData("*.min.js", "app.min.js", true)]
    [InlineData("*.min.js", "dist/sub/app.min.js", true)]
    [InlineData("*.min.js", "app.js", false)]
    [InlineData("dist/*.min.js", "dist/app.min.js", true)]
    [InlineData("dist/*.min.js", "dist/sub/app.min.js", false)]
    [InlineData("dist/*.min.js", "src/dist/app.min.js", false)]
    [InlineData("docs/**/*.md", "docs/a.md", true)]
    [InlineData("docs/**/*.md", "docs/x/y/z.md", true)]
    [InlineData("docs/**/*.md", "docs/readme.txt", false)]
    [InlineData("docs/**/*.md", "src/docs/a.md", false)]
    [InlineData("docs\\**\\*.md", "docs/x/a.md", true)]
    [InlineData("**/fixtures/**", "fixtures/k.txt", true)]
    [InlineData("**/fixtures/**", "test/fixtures/deep/k.txt", true)]
    [InlineData("**/fixtures/**", "test/fixture/k.txt", false)]
    [InlineData("/build", "build/out.txt", true)]
    [InlineData("/build", "src/build/out.txt", false)]
    [InlineData("build/", "src/build/out.txt", true)]
    [InlineData("*.*", "a.txt", true)]
    [InlineData("*.*", "Makefile", false)]
    [InlineData("x/a**b", "x/a/q/b", true)]
    [InlineData("x/a**b", "x/ab", true)]
    [InlineData("x/a**b", "x/a/q/c", false)]
    [InlineData("**y", "a/b/xy", true)]
    [InlineData("  ", "a.txt", false)]
    public void IsExcluded_FollowsTheDocumentedGlobRules(string glob, string path, bool excluded)
    {
        Assert.Equal(excluded, new PathFilter([glob]).IsExcluded(path));
    }

    [Fact]
    public void Keep_DecidesAWholeDirectory_AndDropsExcludedSubdirectoriesThemselves()
    {
        var filter = new PathFilter(["node_modules", "**/fixtures/**", "*.min.js"]);
        (string, bool)[] entries = [("node_modules", true), ("fixtures", true), ("src", true), ("app.min.js", false), ("app.js", false)];
        var kept = new bool[entries.Length];

        filter.Keep("web", entries, kept);

        // The walker never enters what is not kept: an excluded directory's files are not listed and then dropped.
        Assert.Equal([false, false, true, false, true], kept);
    }

    [Fact]
    public void Keep_InAnExcludedDirectory_KeepsNothing()
    {
        var kept = new bool[1];

        new PathFilter(["/build"]).Keep("build/sub", [("a.txt", false)], kept);

        Assert.False(kept[0]);
    }

    [Fact]
    public void QuestionMark_IsRefused_RatherThanSilentlyMatchingNothing()
    {
        var e = Assert.Throws<ScanException>(() => new PathFilter(["file?.txt"]));

        Assert.Contains("'?' is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGlobs_IsEmpty_AndExcludesNothing()
    {
        var filter = new PathFilter(["", " / "]);

        Assert.True(filter.IsEmpty);
        Assert.False(filter.IsExcluded("node_modules/a.js"));
    }
}
