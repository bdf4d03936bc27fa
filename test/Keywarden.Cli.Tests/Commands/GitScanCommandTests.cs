
namespace Keywarden.Cli.Tests.Commands;

public sealed class GitScanCommandTests : CliTestBase
{
    [Fact]
    public async Task ScanGit_FindsAKeyDeletedSinceWithItsCommit_ExitsOne()
    {
        var key = MarketingKey();
        Repo.Write("old.env", $"MC={key}\n");
        var (sha, _) = Repo.Commit("add", author: "Eve Example");
        File.Delete(Path.Combine(Repo.Path, "old.env"));
        Repo.Commit("delete");

        var run = await Cli.RunAsync("scan", "--git", Repo.Path);

        Assert.True(run.ExitCode == 1, run.All);
        Assert.Contains($"old.env:1:4  mailchimp-marketing-key  {key[..4]}…(", run.Out, StringComparison.Ordinal);
        Assert.Contains($"commit {sha[..12]} by Eve Example <eve.example@example.test>", run.Out, StringComparison.Ordinal);
        Assert.Contains("(2 commits, 1 blobs,", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bare")]
    [InlineData("--mirror")]
    public async Task ScanGit_OnABareRepository_ScansItsHistory_AndStagedSaysThereIsNoIndex(string how)
    {
        var key = MarketingKey();
        Repo.Write("old.env", $"MC={key}\n");
        var (sha, _) = Repo.Commit("add", author: "Eve Example");
        var bare = Path.Combine(Scratch, "server.git");
        Repo.Git("clone", "-q", how, Repo.Path, bare);

        var history = await Cli.RunAsync("scan", "--git", bare);
        var staged = await Cli.RunAsync("scan", "--staged", bare);

        Assert.True(history.ExitCode == 1, history.All);
        Assert.Contains($"old.env:1:4  mailchimp-marketing-key  {key[..4]}…(", history.Out, StringComparison.Ordinal);
        Assert.Contains($"commit {sha[..12]} by Eve Example", history.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], history.All, StringComparison.Ordinal);
        Assert.Equal(2, staged.ExitCode);
        Assert.Contains("is a bare repository: it has no index to scan with --staged", staged.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanGitAndStaged_Together_ExitTwo()
    {
        var run = await Cli.RunAsync("scan", "--git", "--staged", Repo.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --git and --staged cannot be combined", run.Error.TrimEnd());
    }
}
