using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

public sealed class ScanExcludeCommandTests : CliTestBase
{
    [Fact]
    public async Task Scan_ExcludeGlobs_SkipFixturesMinifiedFilesAndADirectoryByName()
    {
        foreach (var path in new[] { "test/fixtures/deep/k.txt", "fixtures/k.txt", "web/app.min.js", "web/vendor/lib/x.js", "vendor/y.js", "src/vendor.txt", "src/app.js" })
        {
            Write(path, $"KEY = '{MarketingKey()}'\n");
        }

        var run = await Cli.RunAsync("scan", Scratch, "--exclude", "**/fixtures/**", "--exclude", "*.min.js", "--exclude", "vendor", "--format", "json");

        Assert.True(run.ExitCode == 1, run.All);
        var paths = JsonDocument.Parse(run.Out).RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => Path.GetRelativePath(Scratch, f.GetProperty("path").GetString()!).Replace('\\', '/'));
        Assert.Equal(["src/app.js", "src/vendor.txt"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Scan_ExcludeWithAQuestionMark_ExitsTwoAndSaysWhy()
    {
        var run = await Cli.RunAsync("scan", Scratch, "--exclude", "k?.txt");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: exclude glob 'k?.txt': '?' is not supported (use '*')", run.Error.TrimEnd());
    }

    [Fact]
    public async Task Scan_Gitignore_SkipsIgnoredPaths_AndTheSummarySaysHowMany()
    {
        var key = MarketingKey();
        Repo.Write(".gitignore", "*.env\ndist/\n");
        Repo.Write("local.env", $"MC={key}\n");
        Repo.Write("dist/bundle.js", $"k='{key}'\n");

        var plain = await Cli.RunAsync("scan", Repo.Path);
        var ignoring = await Cli.RunAsync("scan", "--gitignore", Repo.Path);
        var json = await Cli.RunAsync("scan", "--gitignore", Repo.Path, "--format", "json");

        Assert.True(plain.ExitCode == 1, plain.All);
        Assert.Contains("2 secrets found in 2 files", plain.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored", plain.Out, StringComparison.Ordinal);
        Assert.True(ignoring.ExitCode == 0, ignoring.All);
        Assert.Contains("no secrets found (1 files, ", ignoring.Out, StringComparison.Ordinal);
        Assert.Contains("; 2 ignored by .gitignore)", ignoring.Out, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(json.Out).RootElement.GetProperty("ignored_paths").GetInt64());
    }

    [Fact]
    public async Task ScanHelp_SaysGitignoreIsOffByDefault()
    {
        var run = await Cli.RunAsync("scan", "--help");

        Assert.Contains("--gitignore", run.Out, StringComparison.Ordinal);
        Assert.Contains("Off by default", run.Out, StringComparison.Ordinal);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Scratch, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
