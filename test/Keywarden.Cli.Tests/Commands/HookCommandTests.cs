using Keywarden.Scanner;
using Keywarden.Scanner.Tests.Git;

namespace Keywarden.Cli.Tests.Commands;

public sealed class HookCommandTests : IAsyncLifetime
{
    private readonly TestRepository _repo = new();
    private CliFixture _cli = null!;

    public async ValueTask InitializeAsync() => _cli = await CliFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _cli.DisposeAsync();
        _repo.Dispose();
    }

    private string HookPath => Path.Combine(_repo.Path, ".git", "hooks", "pre-commit");

    private (int ExitCode, string Output) GitCommit(string message) =>
        _repo.Exec("git", ["commit", "-m", message], new() { ["KEYWARDEN_DATA"] = Path.Combine(_repo.Path, "no-data-here") }, check: false);

    private string MarketingKey() => new string(Random.Shared.GetItems<char>("0123456789abcdef", 32)) + "-us" + Random.Shared.Next(1, 22);

    [Fact]
    public async Task InstalledHook_BlocksACommitWithAStagedKey_AndLetsACleanOneThrough()
    {
        var install = await _cli.RunAsync("hook", "install", "--repo", _repo.Path);
        Assert.True(install.ExitCode == 0, install.All);
        Assert.True(File.GetUnixFileMode(HookPath).HasFlag(UnixFileMode.UserExecute));
        Assert.Contains(CliFixture.SelfCommand[0], File.ReadAllText(HookPath), StringComparison.Ordinal);

        var key = MarketingKey();
        _repo.Write("settings.py", $"KEY = '{key}'\n");
        _repo.Git("add", "settings.py");
        var blocked = GitCommit("leak a key");

        Assert.True(blocked.ExitCode != 0, blocked.Output);
        Assert.Contains("settings.py:1:8  mailchimp-marketing-key", blocked.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], blocked.Output, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => _repo.Git("rev-parse", "--verify", "HEAD"));

        _repo.Write("settings.py", "KEY = os.environ['KEY']\n");
        _repo.Git("add", "settings.py");
        var allowed = GitCommit("read the key from the environment");

        Assert.True(allowed.ExitCode == 0, allowed.Output);
        Assert.NotEmpty(_repo.Git("rev-parse", "--verify", "HEAD"));
    }

    [Fact]
    public async Task Install_RespectsCoreHooksPath()
    {
        _repo.Git("config", "core.hooksPath", ".githooks");

        var install = await _cli.RunAsync("hook", "install", "--repo", _repo.Path);

        Assert.True(install.ExitCode == 0, install.All);
        Assert.True(PreCommitHook.IsKeywardens(Path.Combine(_repo.Path, ".githooks", "pre-commit")));
        Assert.False(File.Exists(HookPath));
    }

    [Fact]
    public async Task Install_RefusesAForeignHookUnlessForced_AndUninstallLeavesItAlone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HookPath)!);
        File.WriteAllText(HookPath, "#!/bin/sh\nexec make lint\n");

        var refused = await _cli.RunAsync("hook", "install", "--repo", _repo.Path);
        var notOurs = await _cli.RunAsync("hook", "uninstall", "--repo", _repo.Path);

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, notOurs.ExitCode);
        Assert.Equal("#!/bin/sh\nexec make lint\n", File.ReadAllText(HookPath));

        var forced = await _cli.RunAsync("hook", "install", "--force", "--repo", _repo.Path);
        var reinstalled = await _cli.RunAsync("hook", "install", "--repo", _repo.Path);
        var removed = await _cli.RunAsync("hook", "uninstall", "--repo", _repo.Path);

        Assert.True(forced.ExitCode == 0, forced.All);
        Assert.Equal("#!/bin/sh\nexec make lint\n", File.ReadAllText(HookPath + ".bak"));
        Assert.True(reinstalled.ExitCode == 0, reinstalled.All); // its own hook is replaced without --force
        Assert.True(removed.ExitCode == 0, removed.All);
        Assert.False(File.Exists(HookPath));
    }

    [Fact]
    public async Task Install_OutsideARepository_ExitsTwo()
    {
        var run = await _cli.RunAsync("hook", "install", "--repo", _cli.DataDirectory);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: not a git repository", run.Error, StringComparison.Ordinal);
    }
}
