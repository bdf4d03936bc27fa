namespace Keywarden.Rotation.Sinks;

/// <summary>A sink could not take the new key; the message is one clear line without secrets.</summary>
public sealed class SinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SinkException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
