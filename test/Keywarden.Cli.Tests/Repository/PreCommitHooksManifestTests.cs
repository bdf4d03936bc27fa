using System.Text.RegularExpressions;
using Keywarden.Scanner;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Repository;

/// <summary>
/// <c>.pre-commit-hooks.yaml</c>: the hook the pre-commit framework runs is the one <c>keywarden hook install</c> writes,
/// its command line is one the CLI accepts, and it blocks a staged key when the framework itself runs it.
/// </summary>
public sealed partial class PreCommitHooksManifestTests : CliTestBase
{
    private static readonly string ManifestPath = Path.Combine(RepositoryRoot.Path, ".pre-commit-hooks.yaml");

    [Fact]
    public void Manifest_DeclaresKeywardenScan_RunOnceWithoutFileNames()
    {
        var hook = Hook("keywarden-scan");

        Assert.Equal("keywarden scan", hook["name"]);
        Assert.False(string.IsNullOrWhiteSpace(hook.GetValueOrDefault("description")));
        Assert.Equal("system", hook["language"]);
        Assert.Equal("false", hook["pass_filenames"]); // it reads the index, not a list of files
        Assert.Equal("true", hook["always_run"]);
        Assert.False(hook.ContainsKey("stages"), "'stages: [pre-commit]' is refused by pre-commit before 3.2 (Debian 12 ships 3.0)");
    }

    [Fact]
    public void Entry_IsTheCommandTheGitHookRuns_AndTheCliParsesIt()
    {
        var entry = Hook("keywarden-scan")["entry"].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var parsed = CliFixture.CommandTree().Parse(entry[1..]);

        Assert.Equal("keywarden", entry[0]);
        Assert.Empty(parsed.Errors);
        Assert.Equal("scan", parsed.CommandResult.Command.Name);
        var hookLine = PreCommitHook.Script(["keywarden"]).Split('\n').Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.Equal("exec " + string.Join(' ', entry.Select(a => $"'{a}'")), hookLine);
    }

    [Fact]
    public async Task ThePreCommitFramework_RunningTheHook_BlocksAStagedKey_AndPassesACleanIndex()
    {
        Repo.Write("settings.py", $"KEY = '{MarketingKey()}'\n");
        Repo.Git("add", "settings.py");
        var blocked = await TryRepoAsync();

        Repo.Write("settings.py", "KEY = os.environ['MAILCHIMP_KEY']\n");
        Repo.Git("add", "settings.py");
        var passed = await TryRepoAsync();

        Assert.True(blocked.ExitCode == 1, blocked.All);
        Assert.Matches(@"keywarden scan\.+Failed", blocked.Out);
        Assert.Contains("settings.py:1:8  mailchimp-marketing-key", blocked.Out, StringComparison.Ordinal);
        Assert.True(passed.ExitCode == 0, passed.All);
        Assert.Matches(@"keywarden scan\.+Passed", passed.Out);
    }

    /// <summary><c>pre-commit try-repo</c> of this repository's hook in the test repository, with this run's keywarden on PATH.</summary>
    private Task<ProgramOutput> TryRepoAsync()
    {
        var environment = ChildProcess.KeywardenEnvironment();
        environment["PATH"] = AppContext.BaseDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        environment["PRE_COMMIT_HOME"] = Path.Combine(Scratch, "pre-commit");
        environment["KEYWARDEN_DATA"] = Path.Combine(Scratch, "no-data-here");
        return ExternalProgram.RunAsync("pre-commit", ["try-repo", RepositoryRoot.Path, "keywarden-scan"], Repo.Path, environment, TimeSpan.FromSeconds(60));
    }

    /// <summary>The <c>key: value</c> lines of one hook in the manifest (a list of flat mappings; no YAML library needed).</summary>
    private static Dictionary<string, string> Hook(string id)
    {
        var hooks = new List<Dictionary<string, string>>();
        foreach (var line in File.ReadAllLines(ManifestPath).Where(l => !l.TrimStart().StartsWith('#') && l.Trim().Length > 0))
        {
            var match = Pair().Match(line);
            Assert.True(match.Success, $"not a 'key: value' line of a hook: {line}");
            if (match.Groups["dash"].Value == "-")
            {
                hooks.Add(new Dictionary<string, string>(StringComparer.Ordinal));
            }

            hooks[^1].Add(match.Groups["key"].Value, match.Groups["value"].Value.Trim());
        }

        return Assert.Single(hooks, h => h.GetValueOrDefault("id") == id);
    }

    [GeneratedRegex(@"^(?<dash>-| ) (?<key>[a-z_]+): (?<value>.+)$")]
    private static partial Regex Pair();
}
