namespace Keywarden.Cli.Run;

/// <summary>
/// Finds the program of <c>keywarden run -- CMD</c> as a shell would, before any token is issued for it: a name with a
/// <c>/</c> is a path, any other name is looked for in <c>PATH</c>. The shell's exit codes for what goes wrong.
/// </summary>
internal static class CommandLookup
{
    /// <summary>The command was not found (what a shell exits with).</summary>
    public const int NotFound = 127;

    /// <summary>The command was found but cannot be run (what a shell exits with).</summary>
    public const int NotExecutable = 126;

    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The full path of the program, or null with the exit code and the reason.</summary>
    /// <param name="command">What the user typed.</param>
    /// <param name="path">The <c>PATH</c> variable.</param>
    /// <param name="workingDirectory">Where a relative path starts.</param>
    public static (string? Program, int ExitCode, string? Problem) Find(string command, string? path, string workingDirectory)
    {
        if (command.Length == 0)
        {
            return (null, NotFound, "command not found: ''");
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(command, workingDirectory);
            return File.Exists(full) ? Check(full, command) : (null, NotFound, $"no such file: {command}");
        }

        foreach (var directory in (path ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory.Length == 0 ? workingDirectory : Path.GetFullPath(directory, workingDirectory), command);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & Executable) != 0))
            {
                return (candidate, 0, null);
            }
        }

        return (null, NotFound, $"command not found: {command} (not in PATH)");
    }

    private static (string? Program, int ExitCode, string? Problem) Check(string full, string command) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(full) & Executable) != 0
            ? (full, 0, null)
            : (null, NotExecutable, $"not executable: {command}");
}
