using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi;

/// <summary>The admin API's log messages (event ids 9000–9099). Never a token, key or password: ids, names and types only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Admin API listening on {Address}")]
    public static partial void Listening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Admin API request {Method} {Endpoint} failed: {ExceptionType}")]
    public static partial void Failed(ILogger logger, string method, string endpoint, string exceptionType);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Admin API refused {Method} {Endpoint} from {Client}: {Code}")]
    public static partial void Refused(ILogger logger, string method, string endpoint, string? client, string code);
}
