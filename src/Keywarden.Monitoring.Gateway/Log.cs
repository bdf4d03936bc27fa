using Microsoft.Extensions.Logging;

namespace Keywarden.Monitoring.Gateway;

/// <summary>What the live monitor logs: counts, ids and detector names; an alert's why is in the alert store, not the log.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Monitor learned from {Records} audit records of the last {Days} days ({Tokens} tokens) in {Milliseconds} ms")]
    public static partial void Primed(ILogger logger, long records, int days, int tokens, long milliseconds);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Alert {AlertId}: {Severity} {Detector} on {Subject}")]
    public static partial void AlertRaised(ILogger logger, string alertId, string severity, string detector, string subject);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Token {TokenId} suspended on alert {AlertId} ({Detector}): its on-anomaly response is suspend")]
    public static partial void Suspended(ILogger logger, string tokenId, string alertId, string detector);

    [LoggerMessage(EventId = 804, Level = LogLevel.Error, Message = "The monitor could not store or act on an alert ({Error}); it goes on with the next request")]
    public static partial void AlertFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 805, Level = LogLevel.Warning, Message = "The monitor's queue is full: {Dropped} request outcomes were not looked at so far (traffic is not affected)")]
    public static partial void Dropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 806, Level = LogLevel.Error, Message = "The monitor could not read the audit log to learn from it ({Error}); it starts with no history")]
    public static partial void PrimeFailed(ILogger logger, string error);
}
