using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Repository;

/// <summary>The README's top and its Commands table keep up with the command tree.</summary>
public sealed class ReadmeCommandTableTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")).ReplaceLineEndings("\n");

    [Fact]
    public void TheFirstCommands_AreTheDemoAndTheTests()
    {
        var start = Readme.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        var lines = Readme[start..Readme.IndexOf("\n```", start, StringComparison.Ordinal)].Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("dotnet run --project src/Keywarden.Cli -- demo ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("./scripts/test.sh ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommandsTable_HasARowForEveryCommand()
    {
        var section = Readme.IndexOf("\n## Commands\n", StringComparison.Ordinal);
        var table = Readme[section..Readme.IndexOf("\n## ", section + 1, StringComparison.Ordinal)];
        var root = CliFixture.CommandTree();

        foreach (var command in root.Subcommands.Where(c => !c.Hidden))
        {
            Assert.Contains($"| `keywarden {command.Name}", table, StringComparison.Ordinal);
        }

        Assert.Contains(root.Subcommands, c => c.Name == "completion");
    }
}
