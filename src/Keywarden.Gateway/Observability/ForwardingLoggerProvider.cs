using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Observability;

/// <summary>
/// Hands the host's log lines to the caller's <see cref="ILoggerFactory"/> after the host's own filters ran, so the
/// gateway can keep framework categories that print URLs out of the caller's logs. Does not own the factory.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
        // the caller owns the factory
    }
}
