using System.Text.Json;
using Keywarden.Application;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;

namespace Keywarden.Notifications;

/// <summary>
/// An alert as it is sent: what was seen, about which token or address, and why it is unusual. Never a secret (the
/// token's public id, not the token). Kept in the outbox as Keywarden's generic JSON (<see cref="ToJson"/>), which is also
/// the generic format's body.
/// </summary>
/// <param name="Id">The alert's id (<c>al_…</c>).</param>
/// <param name="Detector">The detector that raised it, e.g. <c>decoy</c>, <c>volume</c>.</param>
/// <param name="Severity">How bad.</param>
/// <param name="TokenId">The token concerned, or null for an address-level alert.</param>
/// <param name="Client">The client address concerned (the latest seen), or null.</param>
/// <param name="FirstTime">When the anomaly was first seen.</param>
/// <param name="LastTime">When it was last seen.</param>
/// <param name="Count">How many times it was seen.</param>
/// <param name="Why">Plain words with the observed and the expected value.</param>
/// <param name="Action">What Keywarden did about it (e.g. the token suspended), or null.</param>
public sealed record AlertNotice(
    string Id,
    string Detector,
    AlertSeverity Severity,
    string? TokenId,
    string? Client,
    DateTimeOffset FirstTime,
    DateTimeOffset LastTime,
    long Count,
    string Why,
    string? Action = null)
{
    /// <summary>The generic JSON: <c>{"type":"keywarden.alert","id":…,"detector":…,"severity":…,"token_id":…,"client":…,"first_time":…,"last_time":…,"count":…,"why":…,"action":…}</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "keywarden.alert");
            json.WriteString("id", Id);
            json.WriteString("detector", Detector);
            json.WriteString("severity", NotificationService.Word(Severity));
            json.WriteString("token_id", TokenId);
            json.WriteString("client", Client);
            json.WriteString("first_time", FirstTime.UtcDateTime);
            json.WriteString("last_time", LastTime.UtcDateTime);
            json.WriteNumber("count", Count);
            json.WriteString("why", Why);
            json.WriteString("action", Action);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="FormatException">Not a notice.</exception>
    public static AlertNotice FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return new AlertNotice(
                root.GetProperty("id").GetString()!,
                root.GetProperty("detector").GetString()!,
                AlertAudit.ParseSeverity(root.GetProperty("severity").GetString()!)
                    ?? throw new FormatException($"unknown severity '{root.GetProperty("severity").GetString()}'"),
                root.GetProperty("token_id").GetString(),
                root.GetProperty("client").GetString(),
                root.GetProperty("first_time").GetDateTimeOffset(),
                root.GetProperty("last_time").GetDateTimeOffset(),
                root.GetProperty("count").GetInt64(),
                root.GetProperty("why").GetString()!,
                root.TryGetProperty("action", out var action) ? action.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("not an alert notice: " + e.Message, e);
        }
    }
}
