namespace Keywarden.Gateway;

/// <summary>The gateway cannot start as configured (a TLS certificate that does not load). The message says what to fix and never holds a secret.</summary>
public sealed class GatewayException : Exception
{
    public GatewayException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
