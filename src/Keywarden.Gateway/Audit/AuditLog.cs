using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Audit;

/// <summary>The audit queue's log messages. Parameters are counts and durations, never entry contents.</summary>
internal static partial class AuditLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Audit is fail-open: requests are served even when their audit records cannot be written. This choice is recorded in the audit log.")]
    public static partial void FailOpen(ILogger logger);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error,
        Message = "Audit records cannot be written ({Count} waiting); requests are refused until they can (unless fail-open). Retrying in {RetryDelay}.")]
    public static partial void AppendFailed(ILogger logger, int count, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "Audit records still cannot be written after {Attempts} attempts; retrying in {RetryDelay}.")]
    public static partial void AppendStillFailing(ILogger logger, int attempts, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "Audit records are written again after {Attempts} failed attempts.")]
    public static partial void Recovered(ILogger logger, int attempts);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error,
        Message = "Fail-open: {Count} audit entries were dropped (queue full or shutting down); {Total} dropped since start.")]
    public static partial void EntriesDropped(ILogger logger, long count, long total);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error,
        Message = "Shutdown: {Count} accepted audit entries could not be written within {Timeout} and are lost.")]
    public static partial void EntriesLost(ILogger logger, long count, TimeSpan timeout);
}
