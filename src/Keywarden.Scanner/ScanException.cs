namespace Keywarden.Scanner;

/// <summary>A scan that cannot run as asked: a missing target, an unreadable config or baseline. Never carries a secret.</summary>
public sealed class ScanException : Exception
{
    public ScanException(string message)
        : base(message)
    {
    }

    public ScanException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScanException()
    {
    }
}
