using System.Text;

namespace Keywarden.Scanner;

/// <summary>
/// The Git pre-commit hook that runs <c>keywarden scan --staged</c>: installed where Git looks for hooks
/// (<c>core.hooksPath</c> respected), recognised by a marker line, never replacing someone else's hook unless forced.
/// </summary>
public static class PreCommitHook
{
    /// <summary>The line that marks a hook as Keywarden's.</summary>
    public const string Marker = "# keywarden-hook: pre-commit v1";

    /// <summary>The hook's path in the repository that holds <paramref name="directory"/>.</summary>
    /// <exception cref="ScanException">Not in a Git repository, or git cannot run.</exception>
    public static async Task<string> PathAsync(string directory, CancellationToken cancellationToken = default)
    {
        await Git.GitProcess.FindRepositoryAsync(directory, cancellationToken);
        var hooks = await Git.GitProcess.RunAsync(directory, ["rev-parse", "--path-format=absolute", "--git-path", "hooks"], cancellationToken);
        return Path.Combine(hooks, "pre-commit");
    }

    /// <summary>The script: <c>exec</c> of <paramref name="command"/> (each part shell-quoted) with <c>scan --staged --no-rotate</c>.</summary>
    public static string Script(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var script = new StringBuilder()
            .Append("#!/bin/sh\n")
            .Append(Marker).Append('\n')
            .Append("# Installed by `keywarden hook install`; remove with `keywarden hook uninstall`.\n")
            .Append("# Blocks the commit when what is staged holds a Mailchimp key or a Keywarden token (exit 1),\n")
            .Append("# or when the scan cannot run (exit 2, or 127 when keywarden has moved). A stored key caught here has not\n")
            .Append("# left the machine: the blocked commit is the remedy, so no leak rotation is opened (--no-rotate).\n")
            .Append("exec");
        foreach (var part in command.Concat(["scan", "--staged", "--no-rotate"]))
        {
            script.Append(' ').Append(Quote(part));
        }

        return script.Append('\n').ToString();
    }

    /// <summary>True when the file at <paramref name="path"/> is a hook Keywarden wrote.</summary>
    public static bool IsKeywardens(string path) =>
        File.Exists(path) && File.ReadLines(path).Take(5).Any(line => line.Trim() == Marker);

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
