using Keywarden.Scanner.Tests.Git;

namespace Keywarden.Cli.Tests.Commands;

public sealed class GitScanCommandTests : IAsyncLifetime
{
    private readonly TestRepository _repo = new();
    private CliFixture _cli = null!;

    public async ValueTask InitializeAsync() => _cli = await CliFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _cli.DisposeAsync();
        _repo.Dispose();
    }

    private static string MarketingKey() => new string(Random.Shared.GetItems<char>("0123456789abcdef", 32)) + "-us" + Random.Shared.Next(1, 22);

    [Fact]
    public async Task ScanGit_FindsAKeyDeletedSinceWithItsCommit_ExitsOne()
    {
        var key = MarketingKey();
        _repo.Write("old.env", $"MC={key}\n");
        var (sha, _) = _repo.Commit("add", author: "Eve Example");
        File.Delete(Path.Combine(_repo.Path, "old.env"));
        _repo.Commit("delete");

        var run = await _cli.RunAsync("scan", "--git", _repo.Path);

        Assert.True(run.ExitCode == 1, run.All);
        Assert.Contains($"old.env:1:4  mailchimp-marketing-key  {key[..4]}…(", run.Out, StringComparison.Ordinal);
        Assert.Contains($"commit {sha[..12]} by Eve Example <eve.example@example.test>", run.Out, StringComparison.Ordinal);
        Assert.Contains("(2 commits, 1 blobs,", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanGitAndStaged_Together_ExitTwo()
    {
        var run = await _cli.RunAsync("scan", "--git", "--staged", _repo.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --git and --staged cannot be combined", run.Error.TrimEnd());
    }
}
