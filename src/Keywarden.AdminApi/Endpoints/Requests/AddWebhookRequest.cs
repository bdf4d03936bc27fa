namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/notify/webhooks</c>: the options of <c>notify add webhook</c>.</summary>
/// <param name="Url">The webhook's URL; may be a secret (Slack's are): never logged or echoed whole.</param>
/// <param name="Format">generic (signed JSON, the default) or slack.</param>
/// <param name="MinSeverity">info, warning (the default) or critical.</param>
public sealed record AddWebhookRequest(string Url, string? Format = null, string? MinSeverity = null)
{
    /// <summary>Never shows the URL.</summary>
    public override string ToString() => $"AddWebhookRequest {{ Format = {Format} }}";
}
