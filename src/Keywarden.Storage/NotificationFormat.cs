namespace Keywarden.Storage;

/// <summary>The shape of a webhook's body. Stored as its lower-case word.</summary>
public enum NotificationFormat
{
    /// <summary>Keywarden's own JSON, signed with HMAC-SHA256 (see the Notifications project's README).</summary>
    Generic = 0,

    /// <summary>A Slack-compatible incoming-webhook body (<c>{"text": …}</c>); the URL is the secret.</summary>
    Slack = 1,
}
