namespace Keywarden.Cli;

/// <summary>The CLI's exit codes, a contract for scripts.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Findings, a refused key, a denied request.</summary>
    public const int Findings = 1;

    /// <summary>Usage or runtime error.</summary>
    public const int Error = 2;
}
