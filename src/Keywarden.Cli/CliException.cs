namespace Keywarden.Cli;

/// <summary>A usage error: printed as one line, exit code 2. Never carries a secret.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException()
    {
    }

    /// <summary>In remote mode, the admin API's problem code for the refusal (e.g. <c>new_master_key_required</c>); else null.</summary>
    public string? ProblemCode { get; init; }
}
