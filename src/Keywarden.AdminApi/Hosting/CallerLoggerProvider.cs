using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi.Hosting;

/// <summary>
/// The admin host's log lines, after its own filters, into the caller's <see cref="ILoggerFactory"/>: the filters keep
/// framework categories that print request paths (which may hold a token someone pasted) out. Does not own the factory.
/// </summary>
internal sealed class CallerLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
        // the caller owns the factory
    }
}
