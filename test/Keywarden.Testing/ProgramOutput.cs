namespace Keywarden.Testing;

/// <summary>What a program run by <see cref="ExternalProgram"/> printed, and its exit code.</summary>
public sealed record ProgramOutput(int ExitCode, string Out, string Error)
{
    /// <summary>Stdout then stderr, for failure messages.</summary>
    public string All => Out + Error;
}
