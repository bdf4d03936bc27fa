namespace Keywarden.Storage.Sqlite;

/// <summary>The words stored for the notification tables' enumerations (see <see cref="StoredNames"/> for why words; severities are its).</summary>
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

    public static DeliveryState ParseDeliveryState(string text) => text switch
    {
        "pending" => DeliveryState.Pending,
        "delivered" => DeliveryState.Delivered,
        "cancelled" => DeliveryState.Cancelled,
        _ => throw StoredNames.Unknown("delivery state", text),
    };
}
