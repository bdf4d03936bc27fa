namespace Keywarden.Rotation;

/// <summary>A rotation step that cannot be taken now, explained for a person with what to do next. Never carries a secret.</summary>
public sealed class RotationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RotationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RotationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RotationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
