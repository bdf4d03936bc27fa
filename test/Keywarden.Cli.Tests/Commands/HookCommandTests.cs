using Keywarden.Scanner;

namespace Keywarden.Cli.Tests.Commands;

public sealed class HookCommandTests : CliTestBase
{
    private string HookPath => Path.Combine(Repo.Path, ".git", "hooks", "pre-commit");

    private (int ExitCode, string Output) GitCommit(string message) =>
        Repo.Exec("git", ["commit", "-m", message], new() { ["KEYWARDEN_DATA"] = Path.Combine(Repo.Path, "no-data-here") }, check: false);

    [Fact]
    public async Task InstallAndUninstall_PrintJson()
    {
        var install = await Cli.RunAsync("hook", "install", "--repo", Repo.Path, "--json");
        var uninstall = await Cli.RunAsync("hook", "uninstall", "--repo", Repo.Path, "--json");
        var again = await Cli.RunAsync("hook", "uninstall", "--repo", Repo.Path, "--json");

        JsonShapeTests.AssertShape("hook install", install.Out);
        JsonShapeTests.AssertShape("hook uninstall", uninstall.Out);
        using var installed = System.Text.Json.JsonDocument.Parse(install.Out);
        Assert.Equal(HookPath, installed.RootElement.GetProperty("hook").GetString());
        Assert.EndsWith("scan --staged", installed.RootElement.GetProperty("runs").GetString(), StringComparison.Ordinal);
        Assert.True(System.Text.Json.JsonDocument.Parse(uninstall.Out).RootElement.GetProperty("removed").GetBoolean());
        Assert.False(System.Text.Json.JsonDocument.Parse(again.Out).RootElement.GetProperty("removed").GetBoolean());
        Assert.False(File.Exists(HookPath));
    }

    [Fact]
    public async Task InstalledHook_BlocksACommitWithAStagedKey_AndLetsACleanOneThrough()
    {
        var install = await Cli.RunAsync("hook", "install", "--repo", Repo.Path);
        Assert.True(install.ExitCode == 0, install.All);
        Assert.True(File.GetUnixFileMode(HookPath).HasFlag(UnixFileMode.UserExecute));
        Assert.Contains(CliFixture.SelfCommand[0], File.ReadAllText(HookPath), StringComparison.Ordinal);

        var key = MarketingKey();
        Repo.Write("settings.py", $"KEY = '{key}'\n");
        Repo.Git("add", "settings.py");
        var blocked = GitCommit("leak a key");

        Assert.True(blocked.ExitCode != 0, blocked.Output);
        Assert.Contains("settings.py:1:8  mailchimp-marketing-key", blocked.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], blocked.Output, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Repo.Git("rev-parse", "--verify", "HEAD"));

        Repo.Write("settings.py", "KEY = os.environ['KEY']\n");
        Repo.Git("add", "settings.py");
        var allowed = GitCommit("read the key from the environment");

        Assert.True(allowed.ExitCode == 0, allowed.Output);
        Assert.NotEmpty(Repo.Git("rev-parse", "--verify", "HEAD"));
    }

    [Fact]
    public async Task Install_RespectsCoreHooksPath()
    {
        Repo.Git("config", "core.hooksPath", ".githooks");

        var install = await Cli.RunAsync("hook", "install", "--repo", Repo.Path);

        Assert.True(install.ExitCode == 0, install.All);
        Assert.True(PreCommitHook.IsKeywardens(Path.Combine(Repo.Path, ".githooks", "pre-commit")));
        Assert.False(File.Exists(HookPath));
    }

    [Fact]
    public async Task Install_RefusesAForeignHookUnlessForced_AndUninstallLeavesItAlone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HookPath)!);
        File.WriteAllText(HookPath, "#!/bin/sh\nexec make lint\n");

        var refused = await Cli.RunAsync("hook", "install", "--repo", Repo.Path);
        var notOurs = await Cli.RunAsync("hook", "uninstall", "--repo", Repo.Path);

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, notOurs.ExitCode);
        Assert.Equal("#!/bin/sh\nexec make lint\n", File.ReadAllText(HookPath));

        var forced = await Cli.RunAsync("hook", "install", "--force", "--repo", Repo.Path);
        var reinstalled = await Cli.RunAsync("hook", "install", "--repo", Repo.Path);
        var removed = await Cli.RunAsync("hook", "uninstall", "--repo", Repo.Path);

        Assert.True(forced.ExitCode == 0, forced.All);
        Assert.Equal("#!/bin/sh\nexec make lint\n", File.ReadAllText(HookPath + ".bak"));
        Assert.True(reinstalled.ExitCode == 0, reinstalled.All); // its own hook is replaced without --force
        Assert.True(removed.ExitCode == 0, removed.All);
        Assert.False(File.Exists(HookPath));
    }

    [Fact]
    public async Task Install_OutsideARepository_ExitsTwo()
    {
        var run = await Cli.RunAsync("hook", "install", "--repo", Cli.DataDirectory);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: not a git repository", run.Error, StringComparison.Ordinal);
    }
}
