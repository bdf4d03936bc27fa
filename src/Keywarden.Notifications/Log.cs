using Microsoft.Extensions.Logging;

namespace Keywarden.Notifications;

/// <summary>What the notification dispatcher logs: ids, counts and failure kinds, never a URL, a secret or a body.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Alert {AlertId} delivered to notification target {TargetId} (attempt {Attempt})")]
    public static partial void Delivered(ILogger logger, string alertId, string targetId, int attempt);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Alert {AlertId} not delivered to notification target {TargetId} (attempt {Attempt}): {Failure}; next try in {Backoff}")]
    public static partial void NotDelivered(ILogger logger, string alertId, string targetId, int attempt, string failure, TimeSpan backoff);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "The notification outbox could not be read or updated ({Error}); retrying in {Delay}")]
    public static partial void OutboxFailed(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} holds a notice that cannot be read; it is marked failed and retried later")]
    public static partial void NoticeUnreadable(ILogger logger, long deliveryId);
}
