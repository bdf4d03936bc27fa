using System.Globalization;
using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>
/// The audit records of the alert store's changes, made alike by every engine. The store makes them itself, inside
/// the transaction, because only the transaction knows whether a raise opened a new alert (and only a new one is
/// recorded: repeats would flood the log).
/// </summary>
public static class AlertAudit
{
    /// <summary>The actor of a raised alert: the monitor, not a person.</summary>
    public const string MonitorActor = "monitor";

    /// <summary>
    /// A new alert: action <c>alert.raise</c>, target the alert's id, detail <c>&lt;severity&gt; &lt;detector&gt;: &lt;why&gt;</c>,
    /// at the time of its first occurrence, with its token and upstream.
    /// </summary>
    public static AuditEntry Raised(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return AuditEntry.ForAdmin(alert.FirstTime, MonitorActor, "alert.raise", alert.Id, $"{Word(alert.Severity)} {alert.Detector}: {alert.FirstWhy}")
            with { TokenId = alert.TokenId, UpstreamId = alert.UpstreamId };
    }

    /// <summary>An acknowledgement: action <c>alert.ack</c>, detail <c>&lt;severity&gt; &lt;detector&gt;</c> and the note, if any.</summary>
    public static AuditEntry Acknowledged(AlertRecord alert, string actor, DateTimeOffset at, string? note) =>
        Change(alert, actor, at, "alert.ack", note);

    /// <summary>A resolution: action <c>alert.resolve</c>, detail <c>&lt;severity&gt; &lt;detector&gt;</c> and the note, if any.</summary>
    public static AuditEntry Resolved(AlertRecord alert, string actor, DateTimeOffset at, string? note) =>
        Change(alert, actor, at, "alert.resolve", note);

    /// <summary>The lower-case word of a severity, as stored and exported.</summary>
    public static string Word(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        AlertSeverity.Critical => "critical",
        _ => ((int)severity).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The severity a word of <see cref="Word"/> names, or null for any other text.</summary>
    public static AlertSeverity? ParseSeverity(string word) => word switch
    {
        "info" => AlertSeverity.Info,
        "warning" => AlertSeverity.Warning,
        "critical" => AlertSeverity.Critical,
        _ => null,
    };

    private static AuditEntry Change(AlertRecord alert, string actor, DateTimeOffset at, string action, string? note)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var detail = $"{Word(alert.Severity)} {alert.Detector}" + (note is null ? "" : ": " + note);
        return AuditEntry.ForAdmin(at, actor, action, alert.Id, detail) with { TokenId = alert.TokenId, UpstreamId = alert.UpstreamId };
    }
}
