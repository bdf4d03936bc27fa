using System.Text;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// A unified-style line diff of a verified snapshot and what was received, from the first difference on:
/// "-" lines are the verified file's, "+" lines the received output's, with two lines of context, cut after <see cref="MaxLines"/>.
/// </summary>
internal static class SnapshotDiff
{
    public const int MaxLines = 40;
    private const int Context = 2;

    public static string Format(string verified, string received)
    {
        var edits = Edits(Lines(verified), Lines(received));
        var shown = new bool[edits.Count];
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Kind != ' ')
            {
                for (var j = Math.Max(0, i - Context); j <= Math.Min(edits.Count - 1, i + Context); j++)
                {
                    shown[j] = true;
                }
            }
        }

        var output = new StringBuilder("--- verified\n+++ received\n");
        var written = 0;
        for (var i = 0; i < edits.Count; i++)
        {
            if (!shown[i])
            {
                continue;
            }

            if (written == MaxLines)
            {
                output.Append($"… (cut after {MaxLines} lines: compare the two files for the rest)\n");
                break;
            }

            if (i == 0 || !shown[i - 1])
            {
                var (verifiedLine, receivedLine) = Position(edits, i);
                output.Append($"@@ verified line {verifiedLine}, received line {receivedLine} @@\n");
            }

            output.Append(edits[i].Kind).Append(' ').Append(edits[i].Text).Append('\n');
            written++;
        }

        return written == 0 ? "(no line differs)" : output.ToString();
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    /// <summary>1-based line numbers in the verified and the received text where edit <paramref name="at"/> stands.</summary>
    private static (int Verified, int Received) Position(List<(char Kind, string Text)> edits, int at)
    {
        var (verified, received) = (1, 1);
        foreach (var (kind, _) in edits.Take(at))
        {
            verified += kind == '+' ? 0 : 1;
            received += kind == '-' ? 0 : 1;
        }

        return (verified, received);
    }

    /// <summary>The shortest edit script by longest common subsequence: snapshots are small.</summary>
    private static List<(char Kind, string Text)> Edits(string[] a, string[] b)
    {
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var edits = new List<(char, string)>();
        var (x, y) = (0, 0);
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                edits.Add(('-', a[x++]));
            }
            else
            {
                edits.Add(('+', b[y++]));
            }
        }

        return edits;
    }
}
