using Keywarden.Storage;

namespace Keywarden.AdminApi.Documents;

/// <summary>Alerts as <c>alerts … --json</c> prints them and the admin API answers.</summary>
public static class AlertDocuments
{
    /// <summary>One alert.</summary>
    public static object Alert(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new
        {
            id = alert.Id,
            detector = alert.Detector,
            severity = alert.Severity,
            state = alert.State,
            token_id = alert.TokenId,
            upstream_id = alert.UpstreamId,
            client = alert.Client,
            first_time = alert.FirstTime,
            last_time = alert.LastTime,
            count = alert.Count,
            why = alert.LastWhy,
            first_why = alert.FirstWhy,
            learning = alert.Learning,
            dedup_key = alert.DedupKey,
            action = alert.Action,
            acknowledged_by = alert.AcknowledgedBy,
            acknowledged_at = alert.AcknowledgedAt,
            acknowledge_note = alert.AcknowledgeNote,
            resolved_by = alert.ResolvedBy,
            resolved_at = alert.ResolvedAt,
            resolve_note = alert.ResolveNote,
        };
    }
}
