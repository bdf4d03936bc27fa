using Microsoft.Extensions.Logging;

namespace Keywarden.Sandbox;

/// <summary>The sandbox's log messages. Parameters are addresses and ids, never keys.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Mailchimp sandbox listening on {Address}")]
    public static partial void Listening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Control request {Method} {Path} failed: {Reason}")]
    public static partial void ControlFailed(ILogger logger, string method, string path, string reason);
}
