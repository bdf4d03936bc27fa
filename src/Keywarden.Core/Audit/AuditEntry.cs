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
/// <param name="Recipients">Request, Transactional sends: the recipients the body states (never below 0); null otherwise.</param>
/// <param name="FromDomain">
/// Request, Transactional sends: the domain of the body's <c>from_email</c> (what follows its last <c>@</c>), as given;
/// null otherwise. Stored at most <see cref="MaxFromDomainLength"/> characters long.
/// </param>
/// <param name="UserAgent">
/// Request: the client's <c>User-Agent</c> header, or null when it sent none. Stored at most
/// <see cref="MaxUserAgentLength"/> characters long.
/// </param>
/// <remarks>
/// The last three are facts for the usage monitor. A record without any of them encodes exactly as records did before
/// they existed, so older logs still verify (see <see cref="AuditChain"/>).
/// </remarks>
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
    string? Detail = null,
    int? Recipients = null,
    string? FromDomain = null,
    string? UserAgent = null)
{
    /// <summary>
    /// The longest <see cref="UserAgent"/> a record keeps, in UTF-16 code units: a longer one is cut there (one less when
    /// the cut would split a surrogate pair), after anything secret-shaped in it was redacted.
    /// </summary>
    public const int MaxUserAgentLength = 200;

    /// <summary>The longest <see cref="FromDomain"/> a record keeps, cut as <see cref="UserAgent"/> is: the longest a DNS name can be.</summary>
    public const int MaxFromDomainLength = 253;

    /// <summary>An administrative action, allowed, with nothing measured.</summary>
    /// <param name="time">When it happened.</param>
    /// <param name="actor">Who acted.</param>
    /// <param name="action">What was done, e.g. <c>token.issue</c>.</param>
    /// <param name="target">The id or name acted on.</param>
    /// <param name="detail">Why, or what changed.</param>
    public static AuditEntry ForAdmin(DateTimeOffset time, string actor, string action, string target, string? detail = null) =>
        new(time, AuditKind.Admin, null, null, null, null, action, target, AuditDecision.Allow, "admin", null, 0, 0, 0, actor, detail);
}
