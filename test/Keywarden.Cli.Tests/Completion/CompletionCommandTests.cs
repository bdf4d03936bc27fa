using System.CommandLine;
using System.Text.RegularExpressions;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Completion;

/// <summary><c>keywarden completion bash|zsh|fish</c>, each script loaded into the real shell and asked to complete.</summary>
public sealed class CompletionCommandTests : CliTestBase
{
    [Theory]
    [InlineData("keywarden to", "token")]
    [InlineData("keywarden token i", "issue")]
    [InlineData("keywarden token issue --up", "--upstream")]
    [InlineData("keywarden token issue --json --na", "--name")]
    [InlineData("keywarden --data /tmp/x token l", "list")]
    [InlineData("keywarden scan --format ", "json sarif text")]
    [InlineData("keywarden token issue --upstream news --field to", "token")]
    [InlineData("keywarden completion ", "bash fish zsh")]
    [InlineData("keywarden alerts ", "list show ack resolve")]
    [InlineData("keywarden alerts list --state ", "acknowledged all open resolved")]
    [InlineData("keywarden alerts list --severity ", "critical info warning")]
    [InlineData("keywarden token issue --upstream ", "")] // a free-text value: no command offered (bash falls back to file names)
    public async Task Bash_CompletesTheCurrentWord(string line, string expected)
    {
        var script = await ScriptAsync("bash");
        var words = Words(line);

        var run = await RunShellAsync("bash", ["--norc", "--noprofile", "-c", """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
            _keywarden
            echo "${COMPREPLY[*]}"
            complete -p keywarden
            """, "bash", script, .. words]);

        Assert.True(run.ExitCode == 0, run.All);
        var lines = run.Out.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(expected, lines[0]);
        Assert.Equal("complete -o default -F _keywarden keywarden", lines[1]);
    }

    [Theory]
    [InlineData("keywarden token i", "issue decoy list show revoke rotate on-anomaly suspend resume")]
    [InlineData("keywarden --data /tmp/x audit ", "tail verify checkpoint export")]
    [InlineData("keywarden sandbox --l", "--listen --help -? -h --data --master-key-file --addr")]
    [InlineData("keywarden scan --format ", "json sarif text")]
    [InlineData("keywarden token issue --upstream ", "<files>")]
    public async Task Zsh_OffersTheCandidatesOfTheCommandPathTyped(string line, string expected)
    {
        var script = await ScriptAsync("zsh");
        var syntax = await RunShellAsync("zsh", ["-n", script]);

        // zsh's completion system (compadd, _describe) filters by the typed prefix; stand-ins print what they are offered.
        var run = await RunShellAsync("zsh", ["-f", "-c", """
            compdef() { }
            _describe() { print -rl -- "${(@P)${@[-1]}}" }
            compadd() { print -rl -- "${(@P)${@[-1]}}" }
            _files() { print -r -- '<files>' }
            source "$1"; shift
            words=("$@"); CURRENT=$#
            _keywarden
            """, "zsh", script, .. Words(line)]);

        Assert.True(syntax.ExitCode == 0, syntax.All);
        Assert.True(run.ExitCode == 0, run.All);
        var offered = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[0]);
        Assert.Equal(expected, string.Join(' ', offered));
    }

    [Theory]
    [InlineData("keywarden to", "token")]
    [InlineData("keywarden token i", "issue")]
    [InlineData("keywarden token issue --up", "--upstream")]
    [InlineData("keywarden --data /tmp/x token l", "list")]
    [InlineData("keywarden scan --format ", "json sarif text")]
    [InlineData("keywarden completion ", "bash fish zsh")]
    public async Task Fish_CompletesTheCurrentWord(string line, string expected)
    {
        var script = await ScriptAsync("fish");
        var syntax = await RunShellAsync("fish", ["--no-execute", script]);

        var run = await RunShellAsync("fish", ["-c", "source $argv[1]; complete -C $argv[2]", script, line]);

        Assert.True(syntax.ExitCode == 0, syntax.All);
        Assert.True(run.ExitCode == 0, run.All);
        var offered = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]);
        Assert.Equal(expected, string.Join(' ', offered));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public async Task EveryScript_NamesEveryCommandOfTheTree(string shell)
    {
        var run = await Cli.RunAsync("completion", shell);
        var commands = AllCommands(CliFixture.CommandTree()).ToList();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains(commands, c => c.Name == "completion");
        foreach (var command in commands)
        {
            Assert.Matches($"(?<![\\w-]){Regex.Escape(command.Name)}(?![\\w-])", run.Out);
        }
    }

    [Fact]
    public async Task AnUnknownShell_ExitsTwo_NamingTheThree()
    {
        var run = await Cli.RunAsync("completion", "powershell");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: unknown shell 'powershell': keywarden completes bash, zsh and fish", run.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<Command> AllCommands(Command command) => command.Subcommands.SelectMany(c => AllCommands(c).Prepend(c));

    private static string[] Words(string line) => line.EndsWith(' ') ? [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries), ""] : line.Split(' ');

    private async Task<string> ScriptAsync(string shell)
    {
        var run = await Cli.RunAsync("completion", shell);
        Assert.True(run.ExitCode == 0, run.All);
        var path = Path.Combine(Scratch, "keywarden." + shell);
        await File.WriteAllTextAsync(path, run.Out, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>The shell with its home and config in the scratch directory, so no rc file of the machine's takes part.</summary>
    private Task<ProgramOutput> RunShellAsync(string shell, string[] arguments) =>
        ExternalProgram.RunAsync(shell, arguments, Scratch, new Dictionary<string, string?>
        {
            ["HOME"] = Scratch,
            ["XDG_CONFIG_HOME"] = Path.Combine(Scratch, "config"),
            ["XDG_DATA_HOME"] = Path.Combine(Scratch, "data"),
        }, TimeSpan.FromSeconds(30));
}
