namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>What a snapshot comparison ignores: line endings, spaces at line ends (tables pad cells) and blank lines at the end.</summary>
internal static class SnapshotText
{
    public static string Normalize(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd());
        return string.Join('\n', lines).TrimEnd('\n') + "\n";
    }
}
