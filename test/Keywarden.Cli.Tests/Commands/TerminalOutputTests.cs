using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>Tables on an 80-column terminal keep ids whole and cut prose instead; colour only on a terminal without NO_COLOR.</summary>
public sealed partial class TerminalOutputTests
{
    [Fact]
    public async Task OnAnEightyColumnTerminal_IdsStayWholeOnOneLine_AndTheLongPolicyIsCutWithAnEllipsis()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("newsletter-production");
        var ids = new List<string>();
        foreach (var name in new[] { "signup-form-with-a-long-name", "[red]not markup[/]" })
        {
            var issue = await cli.RunAsync(
                "token", "issue", "--upstream", "newsletter-production", "--name", name, "--path", "/lists/*/members/**", "--path", "/campaigns/**",
                "--path", "/automations/**", "--cidr", "203.0.113.0/24", "--rate", "600/min", "--json");
            ids.Add(JsonDocument.Parse(issue.Out).RootElement.GetProperty("id").GetString()!);
        }

        cli.Terminal = true;
        cli.TerminalWidth = 80;
        var list = await cli.RunAsync("token", "list");

        Assert.Equal(0, list.ExitCode);
        var lines = Plain(list.Out).Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Assert.All(ids, id => Assert.Contains(lines, line => line.Contains(id, StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.Contains('…', StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("[red]not", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTheIdsFit_EachTokenIsOneRow_WithTheIdWholeAndThePolicyCut()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var issue = await cli.RunAsync(
            "token", "issue", "--upstream", "news", "--name", "app", "--path", "/lists/*/members/**", "--path", "/campaigns/**", "--rate", "600/min", "--json");
        var id = JsonDocument.Parse(issue.Out).RootElement.GetProperty("id").GetString()!;
        cli.Terminal = true;
        cli.TerminalWidth = 80;

        var list = await cli.RunAsync("token", "list");

        var lines = Plain(list.Out).Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(2, lines.Count); // the header and one row
        Assert.Matches(@"^ID\s+NAME\s+UPSTREAM\s+STATE\s+EXPIRES \(UTC\)\s+POLICY", lines[0]);
        Assert.StartsWith(id + " ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("…", lines[1].TrimEnd(), StringComparison.Ordinal);
        Assert.True(lines[1].TrimEnd().Length <= 80);
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "1", false)]
    [InlineData(true, "", true)]
    [InlineData(false, null, false)]
    public async Task Colour_OnlyOnATerminal_AndNeverWithNoColorSet(bool terminal, string? noColor, bool coloured)
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "app");
        cli.Terminal = terminal;
        cli.Environment["NO_COLOR"] = noColor;

        var list = await cli.RunAsync("token", "list");

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(coloured, list.Out.Contains('\u001b', StringComparison.Ordinal));
        Assert.Contains("active", Plain(list.Out), StringComparison.Ordinal);
    }

    private static string Plain(string output) => Ansi().Replace(output, "");

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
