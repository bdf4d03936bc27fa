namespace Keywarden.Core.Crypto;

/// <summary>
/// A secret could not be sealed or opened: wrong master key, tampered or moved ciphertext,
/// malformed key material. Messages name records by id and never contain secret material.
/// </summary>
public sealed class KeywardenCryptoException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public KeywardenCryptoException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public KeywardenCryptoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public KeywardenCryptoException()
    {
    }
}
