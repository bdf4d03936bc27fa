using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>A notification target opened for sending: its URL and signing secret in clear. Never logged, never shown after it was added.</summary>
/// <param name="TargetId">The target's id.</param>
/// <param name="Url">Where to post.</param>
/// <param name="SigningSecret">The HMAC-SHA256 key of the generic format's signature.</param>
/// <param name="Format">The body's shape.</param>
public sealed record WebhookEndpoint(string TargetId, Uri Url, string SigningSecret, NotificationFormat Format)
{
    /// <summary>Keeps the URL and secret out of anything that prints the record.</summary>
    public override string ToString() => $"WebhookEndpoint {{ TargetId = {TargetId}, Format = {Format} }}";
}
