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
}
