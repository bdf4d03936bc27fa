using Keywarden.Core.Monitoring;

namespace Keywarden.Storage.Sqlite;

/// <summary>The words stored for the notification tables' enumerations (see <see cref="StoredNames"/> for why words).</summary>
internal static class StoredNotificationNames
{
    public static string Of(NotificationFormat format) => format switch
    {
        NotificationFormat.Generic => "generic",
        NotificationFormat.Slack => "slack",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown notification format"),
    };

    public static NotificationFormat ParseFormat(string text) => text switch
    {
        "generic" => NotificationFormat.Generic,
        "slack" => NotificationFormat.Slack,
        _ => throw StoredNames.Unknown("notification format", text),
    };

    public static string Of(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        AlertSeverity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "unknown alert severity"),
    };

    public static AlertSeverity ParseSeverity(string text) => text switch
    {
        "info" => AlertSeverity.Info,
        "warning" => AlertSeverity.Warning,
        "critical" => AlertSeverity.Critical,
        _ => throw StoredNames.Unknown("alert severity", text),
    };

    public static DeliveryState ParseDeliveryState(string text) => text switch
    {
        "pending" => DeliveryState.Pending,
        "delivered" => DeliveryState.Delivered,
        "cancelled" => DeliveryState.Cancelled,
        _ => throw StoredNames.Unknown("delivery state", text),
    };
}
