using System.Globalization;
using System.Text;
using System.Text.Json;
using Keywarden.Application;

namespace Keywarden.Notifications;

/// <summary>A Slack-compatible incoming-webhook body for an alert: <c>{"text": …}</c> in Slack's mrkdwn, its special characters escaped.</summary>
public static class SlackMessage
{
    /// <summary>The body's bytes.</summary>
    public static byte[] Body(AlertNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var subject = notice.TokenId is { } token ? $"token `{token}`" : $"address `{notice.Client ?? "unknown"}`";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $":rotating_light: *Keywarden {Escape(NotificationService.Word(notice.Severity))} alert: {Escape(notice.Detector)}* on {Escape(subject)}\n")
            .Append(Escape(notice.Why))
            .Append(CultureInfo.InvariantCulture, $"\nAlert `{Escape(notice.Id)}`, first seen {notice.FirstTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z")
            .Append(notice.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $", {notice.Count} times") : "")
            .Append(notice.Client is { } client && notice.TokenId is not null ? $", from {Escape(client)}" : "")
            .Append(notice.Action is { } action ? "\nAction: " + Escape(action) : "")
            .ToString();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
