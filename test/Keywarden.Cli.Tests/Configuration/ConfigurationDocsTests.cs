using System.CommandLine;
using System.Text;
using Keywarden.Cli.Configuration;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Configuration;

/// <summary>docs/configuration.md's table of serve's settings is the real option list, row for row.</summary>
public sealed class ConfigurationDocsTests
{
    private const string Begin = "<!-- serve-options:begin (generated from the option list; ConfigurationDocsTests prints it) -->\n";
    private const string End = "<!-- serve-options:end -->";

    [Fact]
    public void TheTableOfServeOptions_MatchesTheOptionList()
    {
        var serve = CliFixture.CommandTree().Subcommands.Single(c => c.Name == "serve");
        var expected = Table(ConfigurationLayer.ConfigurableOptions(serve));
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md")).ReplaceLineEndings("\n");
        var start = docs.IndexOf(Begin, StringComparison.Ordinal);
        var end = docs.IndexOf(End, StringComparison.Ordinal);

        Assert.True(start >= 0 && end > start, $"docs/configuration.md lacks the markers; put this between them:\n{Begin}{expected}{End}");
        var actual = docs[(start + Begin.Length)..end];
        Assert.True(actual == expected, $"docs/configuration.md is out of date with serve's options; the table should read:\n{expected}");
    }

    [Fact]
    public void EveryServeOption_HasAnEnvironmentVariableAndAKey_AndNoTwoShareOne()
    {
        var serve = CliFixture.CommandTree().Subcommands.Single(c => c.Name == "serve");
        var options = ConfigurationLayer.ConfigurableOptions(serve);

        Assert.Contains(options, o => o.Name == "--data"); // the recursive options of the root apply to serve too
        Assert.DoesNotContain(options, o => o.Name is "--help" or "--config");
        Assert.Equal(options.Count, options.Select(ConfigurationLayer.EnvironmentName).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("KEYWARDEN_SHUTDOWN_TIMEOUT", ConfigurationLayer.EnvironmentName(options.Single(o => o.Name == "--shutdown-timeout")));
    }

    private static string Table(IEnumerable<Option> options)
    {
        var table = new StringBuilder();
        table.Append("| Option | Environment variable | Config key | Meaning |\n|---|---|---|---|\n");
        foreach (var option in options)
        {
            var key = ConfigurationLayer.IsList(option) ? $"`{ConfigurationLayer.FileKey(option)}` (list)" : $"`{ConfigurationLayer.FileKey(option)}`";
            table.Append($"| `{option.Name}` | `{ConfigurationLayer.EnvironmentName(option)}` | {key} | {option.Description?.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return table.ToString();
    }
}
