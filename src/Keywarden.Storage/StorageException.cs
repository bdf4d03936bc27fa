namespace Keywarden.Storage;

/// <summary>A storage failure the caller can explain to a person. Never carries secret values.</summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public StorageError Error { get; } = StorageError.Unavailable;
}
