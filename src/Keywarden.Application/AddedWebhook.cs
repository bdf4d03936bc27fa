using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>A webhook just added: its record and its signing secret, returned this once and never again.</summary>
/// <param name="Target">The stored target (URL and secret sealed).</param>
/// <param name="SigningSecret">The HMAC-SHA256 key receivers check the generic format's signature with.</param>
public sealed record AddedWebhook(NotificationTargetRecord Target, string SigningSecret)
{
    /// <summary>Keeps the secret out of anything that prints the record.</summary>
    public override string ToString() => $"AddedWebhook {{ Target = {Target.Id} }}";
}
