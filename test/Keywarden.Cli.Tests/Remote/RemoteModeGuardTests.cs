using System.CommandLine;
using Keywarden.Cli.Remote;

namespace Keywarden.Cli.Tests.Remote;

/// <summary>
/// With an admin API address set (<c>KEYWARDEN_ADDR</c> or <c>--addr</c>), a command either goes to the server, is local by
/// nature, or is refused before it opens anything: never quietly run against the vault on this machine.
/// </summary>
public sealed class RemoteModeGuardTests : CliTestBase
{
    /// <summary>Nothing listens here: a command that tried the server would fail with a network error, not the refusal.</summary>
    private const string Nowhere = "http://127.0.0.1:9/";

    [Fact]
    public void EveryServedOrLocalEntry_NamesACommandOfTheTree()
    {
        var paths = LeafPaths(CliFixture.CommandTree()).ToHashSet(StringComparer.Ordinal);
        var groups = CliFixture.CommandTree().Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(RemoteCommands.Served, path => Assert.Contains(path, paths));
        Assert.All(RemoteCommands.Local, path => Assert.True(paths.Contains(path) || groups.Contains(path), $"'{path}' is no command"));
    }

    [Fact]
    public async Task EveryOtherCommand_IsRefusedInRemoteMode_BeforeItParsesOrOpensTheVault()
    {
        var refused = LeafPaths(CliFixture.CommandTree()).Where(p => RemoteCommands.Refusal(p) is not null).ToList();
        var missing = Path.Combine(Scratch, "no-vault-here");
        Cli.Environment["KEYWARDEN_DATA"] = missing;
        Cli.Environment["KEYWARDEN_ADDR"] = Nowhere;

        foreach (var path in refused)
        {
            var run = await Cli.RunAsync(path.Split(' '));

            Assert.True(run.ExitCode == 2, $"{path}: {run.All}");
            Assert.Contains($"'keywarden {path}' has no remote mode yet", run.Error, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task GlobalAddrOption_SwitchesToRemoteMode_AndIsCheckedAsAnAddress()
    {
        await Cli.InitAsync();
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "session.json");

        var local = await Cli.RunAsync("token", "list");
        var remote = await Cli.RunAsync("token", "list", "--addr", Nowhere);
        var bad = await Cli.RunAsync("--addr", "ftp://example.invalid/", "token", "list");

        Assert.Equal(0, local.ExitCode);
        Assert.Equal((2, "error: not logged in, or the session expired: keywarden login"), (remote.ExitCode, remote.Error.Trim()));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--addr must be the admin API's http(s) address", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalByNatureCommands_AndHelp_WorkWithAnAddressSet()
    {
        Cli.Environment["KEYWARDEN_ADDR"] = Nowhere;
        await File.WriteAllTextAsync(Path.Combine(Scratch, "clean.txt"), "nothing secret here\n", TestContext.Current.CancellationToken);

        var completion = await Cli.RunAsync("completion", "bash");
        var scan = await Cli.RunAsync("scan", Scratch);
        var help = await Cli.RunAsync("master", "rotate", "--help");

        Assert.True(completion.ExitCode == 0, completion.All);
        Assert.Contains("keywarden", completion.Out, StringComparison.Ordinal);
        Assert.True(scan.ExitCode == 0, scan.All);
        Assert.True(help.ExitCode == 0, help.All);
        Assert.Contains("--addr", help.Out, StringComparison.Ordinal);
    }

    private static IEnumerable<string> LeafPaths(Command command, string prefix = "")
    {
        foreach (var sub in command.Subcommands)
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Action is not null)
            {
                yield return path;
            }

            foreach (var deeper in LeafPaths(sub, path))
            {
                yield return deeper;
            }
        }
    }
}
