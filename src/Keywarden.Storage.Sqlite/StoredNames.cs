using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Rotation;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// The words stored for enumerations. Words, not ordinals, so that reordering a C# enum cannot
/// change the meaning of a stored row; an unknown word means a newer or damaged database.
/// </summary>
internal static class StoredNames
{
    public static string Of(UpstreamKind kind) => kind switch
    {
        UpstreamKind.Marketing => "marketing",
        UpstreamKind.Transactional => "transactional",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown upstream kind"),
    };

    public static string Of(KeySlot slot) => slot switch
    {
        KeySlot.Current => "current",
        KeySlot.Pending => "pending",
        KeySlot.Previous => "previous",
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "unknown key slot"),
    };

    public static UpstreamKind ParseKind(string text) => text switch
    {
        "marketing" => UpstreamKind.Marketing,
        "transactional" => UpstreamKind.Transactional,
        _ => throw Unknown("upstream kind", text),
    };

    public static KeySlot ParseSlot(string text) => text switch
    {
        "current" => KeySlot.Current,
        "pending" => KeySlot.Pending,
        "previous" => KeySlot.Previous,
        _ => throw Unknown("key slot", text),
    };

    public static string Of(AnomalyResponse response) => response switch
    {
        AnomalyResponse.Alert => "alert",
        AnomalyResponse.Suspend => "suspend",
        _ => throw new ArgumentOutOfRangeException(nameof(response), response, "unknown anomaly response"),
    };

    public static AnomalyResponse ParseAnomalyResponse(string text) => text switch
    {
        "alert" => AnomalyResponse.Alert,
        "suspend" => AnomalyResponse.Suspend,
        _ => throw Unknown("anomaly response", text),
    };

    public static string Of(AuditKind kind) => kind switch
    {
        AuditKind.Request => "request",
        AuditKind.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown audit kind"),
    };

    public static string Of(AuditDecision decision) => decision switch
    {
        AuditDecision.Allow => "allow",
        AuditDecision.Deny => "deny",
        AuditDecision.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "unknown audit decision"),
    };

    public static AuditKind ParseAuditKind(string text) => text switch
    {
        "request" => AuditKind.Request,
        "admin" => AuditKind.Admin,
        _ => throw Unknown("audit kind", text),
    };

    public static AuditDecision ParseDecision(string text) => text switch
    {
        "allow" => AuditDecision.Allow,
        "deny" => AuditDecision.Deny,
        "error" => AuditDecision.Error,
        _ => throw Unknown("audit decision", text),
    };

    public static string Of(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        AlertSeverity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "unknown alert severity"),
    };

    public static AlertSeverity ParseSeverity(string text) => AlertAudit.ParseSeverity(text) ?? throw Unknown("alert severity", text);

    public static string Of(AlertState state) => state switch
    {
        AlertState.Open => "open",
        AlertState.Acknowledged => "acknowledged",
        AlertState.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown alert state"),
    };

    public static AlertState ParseAlertState(string text) => text switch
    {
        "open" => AlertState.Open,
        "acknowledged" => AlertState.Acknowledged,
        "resolved" => AlertState.Resolved,
        _ => throw Unknown("alert state", text),
    };

    public static RotationState ParseRotationState(string text) =>
        RotationMachine.ParseState(text) ?? throw Unknown("rotation state", text);

    public static StorageException Unknown(string what, string text) =>
        new(StorageError.Incompatible, $"the database holds an unknown {what} '{text}': it was written by a newer Keywarden or is damaged");
}
