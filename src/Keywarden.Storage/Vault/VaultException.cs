namespace Keywarden.Storage.Vault;

/// <summary>A request to the vault that cannot be carried out, explained for a person. Never carries a secret.</summary>
public sealed class VaultException : Exception
{
    public VaultException(string message)
        : base(message)
    {
    }

    public VaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VaultException()
    {
    }
}
