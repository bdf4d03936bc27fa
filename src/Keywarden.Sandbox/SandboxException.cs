namespace Keywarden.Sandbox;

/// <summary>A request to the sandbox's state that cannot be carried out (unknown account or key, bad datacenter).</summary>
public sealed class SandboxException : Exception
{
    public SandboxException()
    {
    }

    public SandboxException(string message)
        : base(message)
    {
    }

    public SandboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SandboxException(string message, bool isNotFound)
        : base(message)
    {
        IsNotFound = isNotFound;
    }

    /// <summary>The account or key named does not exist (the control API answers 404; otherwise 400).</summary>
    public bool IsNotFound { get; }
}
