using System.CommandLine;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>What a person sees when they ask for nothing, mistype, or put a secret where it does not belong.</summary>
public sealed class HelpAndErrorTests
{
    [Fact]
    public async Task BareKeywarden_PrintsItsUsage_AndExitsZero()
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.RunAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("token", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandGroupAlone_PrintsItsUsage_AndNamesItsSubcommands()
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.RunAsync("token");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(" token [command] [options]", run.Out, StringComparison.Ordinal);
        Assert.Equal("error: 'keywarden token' needs a subcommand: issue, decoy, list, show, revoke, rotate, on-anomaly, suspend, resume", run.Error.Trim());
    }

    [Theory]
    [InlineData(new[] { "tokn" }, "error: unknown command 'tokn' for 'keywarden' (did you mean 'token'?)")]
    [InlineData(new[] { "token", "isue" }, "error: unknown command 'isue' for 'keywarden token' (did you mean 'issue'?)")]
    [InlineData(new[] { "token", "list", "--jsn" }, "error: unknown option '--jsn' for 'keywarden token list' (did you mean '--json'?)")]
    [InlineData(new[] { "scan", "--formt", "json" }, "error: unknown option '--formt' for 'keywarden scan' (did you mean '--format'?)")]
    [InlineData(new[] { "scan", "--nonsense" }, "error: unknown option '--nonsense' for 'keywarden scan'")]
    [InlineData(new[] { "frobnicate" }, "error: unknown command 'frobnicate' for 'keywarden'")]
    public async Task ATypo_IsNamed_WithTheNearestCommandOrOption(string[] args, string firstLine)
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(firstLine, run.Error.ReplaceLineEndings("\n").Split('\n')[0]);
        Assert.DoesNotContain("no such file", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenOnTheCommandLine_IsRefusedWithAdviceForTokens_NotForKeys()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var token = Core.Tokens.GatewayToken.Generate().Value;

        var run = await cli.RunAsync("token", "revoke", token);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("gateway token on the command line", run.Error, StringComparison.Ordinal);
        Assert.Contains("keywarden token list", run.Error, StringComparison.Ordinal);
        Assert.Contains("keywarden token revoke - < token.txt", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream add", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token[3..], run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRevoke_OfATokenOnStdin_RevokesTheTokenItIs()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.PipeAsync("0123456789abcdef0123456789abcdef-us3", "upstream", "add", "news", "--kind", "marketing", "--no-verify");
        var issued = JsonDocument.Parse((await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "app", "--json")).Out).RootElement;
        var id = issued.GetProperty("id").GetString()!;
        var token = issued.GetProperty("token").GetString()!;

        var unknown = await cli.PipeAsync(Core.Tokens.GatewayToken.Generate().Value, "token", "revoke", "-");
        var revoked = await cli.PipeAsync(token + "\n", "token", "revoke", "-");
        var list = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no token of this vault matches", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal($"Revoked {id}.", revoked.Out.Trim());
        Assert.Equal("revoked", list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id).GetProperty("state").GetString());
        Assert.DoesNotContain(token[3..], revoked.All + unknown.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCommandsHelp_StatesEachDefaultOnce()
    {
        await using var cli = await CliFixture.StartAsync();
        var root = CliApp.Build(new CliContext
        {
            In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, InputRedirected = false,
            Environment = new Dictionary<string, string?>(), HomeDirectory = cli.DataDirectory,
        });
        var doubled = new List<string>();

        foreach (var path in Paths(root, []))
        {
            var help = await cli.RunAsync([.. path, "--help"]);
            Assert.Equal(0, help.ExitCode);
            doubled.AddRange(help.Out.Split('\n')
                .Where(line => line.Contains("[default:", StringComparison.Ordinal) && line.Contains("(default", StringComparison.OrdinalIgnoreCase))
                .Select(line => $"{string.Join(' ', path)}: {line.Trim()}"));
        }

        Assert.Empty(doubled);
    }

    private static IEnumerable<string[]> Paths(Command command, string[] prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] path = [.. prefix, sub.Name];
            yield return path;
            foreach (var deeper in Paths(sub, path))
            {
                yield return deeper;
            }
        }
    }
}
