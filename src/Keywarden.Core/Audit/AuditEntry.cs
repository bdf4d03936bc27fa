namespace Keywarden.Core.Audit;

/// <summary>
/// One audited event, before it is chained. Never holds a secret or a body: its strings are ids,
/// canonical paths and rule names. <see cref="AuditChain.Link"/> redacts anything shaped like a
/// Mailchimp key or a gateway token all the same, because a record cannot be removed from the chain later.
/// </summary>
/// <param name="Time">When it happened. Kept at millisecond precision in UTC.</param>
/// <param name="Kind">A gateway request or an administrative action.</param>
/// <param name="TokenId">The token's public accessor id (<c>tok_…</c>), never the token.</param>
/// <param name="UpstreamId">The upstream's id (<c>up_…</c>).</param>
/// <param name="KeyId">The id of the upstream key used (<c>key_…</c>), never the key.</param>
/// <param name="ClientAddress">The client's address as the gateway determined it (after trusted proxies).</param>
/// <param name="Method">Request: the HTTP method after any override. Admin: the action, e.g. <c>token.revoke</c>.</param>
/// <param name="Path">Request: the canonical path. Admin: the target's id or name.</param>
/// <param name="Decision">Allowed, denied or failed.</param>
/// <param name="Rule">The rule that decided, e.g. <c>policy.paths</c> or <c>auth.unknown-token</c>.</param>
/// <param name="UpstreamStatus">The upstream's HTTP status, when the request reached it.</param>
/// <param name="LatencyMs">Time spent, in milliseconds. Must be finite.</param>
/// <param name="BytesIn">Request body bytes received from the client.</param>
/// <param name="BytesOut">Response body bytes sent to the client.</param>
/// <param name="Actor">Admin: who acted (the OS user, or <c>admin-api</c>).</param>
/// <param name="Detail">Admin: why, or what changed, in a few words.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    AuditKind Kind,
    string? TokenId,
    string? UpstreamId,
    string? KeyId,
    string? ClientAddress,
    string Method,
    string Path,
    AuditDecision Decision,
    string Rule,
    int? UpstreamStatus,
    double LatencyMs,
    long BytesIn,
    long BytesOut,
    string? Actor = null,
    string? Detail = null)
{
    /// <summary>An administrative action, allowed, with nothing measured.</summary>
    /// <param name="time">When it happened.</param>
    /// <param name="actor">Who acted.</param>
    /// <param name="action">What was done, e.g. <c>token.issue</c>.</param>
    /// <param name="target">The id or name acted on.</param>
    /// <param name="detail">Why, or what changed.</param>
    public static AuditEntry ForAdmin(DateTimeOffset time, string actor, string action, string target, string? detail = null) =>
        new(time, AuditKind.Admin, null, null, null, null, action, target, AuditDecision.Allow, "admin", null, 0, 0, 0, actor, detail);
}
