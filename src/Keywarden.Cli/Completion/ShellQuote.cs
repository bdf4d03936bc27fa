namespace Keywarden.Cli.Completion;

/// <summary>Literal strings in the generated scripts: nothing in a description or name is ever expanded.</summary>
internal static class ShellQuote
{
    /// <summary>A single-quoted word for bash and zsh.</summary>
    public static string Posix(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A single-quoted word for fish, where a backslash escapes inside single quotes too.</summary>
    public static string Fish(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
