using Microsoft.Extensions.Logging;

namespace Keywarden.Cli.Infrastructure;

/// <summary>The CLI's own log messages (serve's banner as an event in JSON logs). Event ids 9000–9099.</summary>
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Information, "Keywarden gateway ready: Marketing {MarketingBase}, Transactional {TransactionalBase}, metrics {Metrics}")]
    public static partial void Ready(ILogger logger, string marketingBase, string transactionalBase, string metrics);
}
