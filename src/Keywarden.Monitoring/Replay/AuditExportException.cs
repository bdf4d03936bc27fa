namespace Keywarden.Monitoring.Replay;

/// <summary>A line of an audit export that is not a record <c>audit export</c> writes. The message names the line and never quotes it.</summary>
public sealed class AuditExportException : Exception
{
    /// <summary>A malformed line.</summary>
    public AuditExportException(long line, string problem)
        : base($"line {line}: {problem}")
    {
        Line = line;
    }

    /// <summary>A malformed line, with the error that found it.</summary>
    public AuditExportException(long line, string problem, Exception innerException)
        : base($"line {line}: {problem}", innerException)
    {
        Line = line;
    }

    /// <summary>Parameterless, for serializers; prefer the ones naming the line.</summary>
    public AuditExportException()
    {
    }

    /// <summary>A message only, for callers that have no line.</summary>
    public AuditExportException(string message)
        : base(message)
    {
    }

    /// <summary>A message and the error behind it.</summary>
    public AuditExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based number of the malformed line (0 when unknown).</summary>
    public long Line { get; }
}
