using System.Diagnostics;
using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Forwarding;
using Keywarden.Gateway.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Outcomes;

/// <summary>
/// What happened to one gateway request: who asked (client, token), for what (API, canonical method and path), what the
/// gateway decided and under which rule (<see cref="RuleNames"/>), and whether the upstream answered. Filled in by the
/// pipeline as the request goes; <see cref="IRequestOutcomeObserver"/>s read it as the response starts and once the
/// request is over. Never holds a secret or a body. One per request: observers must not keep it past their call.
/// </summary>
public sealed class RequestOutcome
{
    internal RequestOutcome(OutcomeObservers observers, NeutralAnswers neutral, HttpContext context, IApiFlow? flow, long started)
    {
        Observers = observers;
        Neutral = neutral;
        Context = context;
        Flow = flow;
        Started = started;
    }

    /// <summary>The API the request addresses (its answers take that API's shape), or null for none the gateway serves.</summary>
    public UpstreamKind? Api => Flow?.Api;

    /// <summary>The API's name in metrics and logs (<see cref="IApiFlow.Name"/>), or <c>none</c>.</summary>
    public string ApiName => Flow?.Name ?? "none";

    /// <summary>The client's address (the socket's, or the first untrusted hop behind trusted proxies).</summary>
    public IPAddress Client { get; internal set; } = IPAddress.None;

    /// <summary>The canonical method: the HTTP method, or a Transactional call's name.</summary>
    public string Method { get; internal set; } = "";

    /// <summary>The canonical path (without query), or a redacted description of a target that is no API path.</summary>
    public string Path { get; internal set; } = "";

    /// <summary>The presented token's id, when the gateway knows it (revoked and other dead tokens included).</summary>
    public string? TokenId { get; internal set; }

    /// <summary>The upstream the token maps to, when known.</summary>
    public string? UpstreamId { get; internal set; }

    /// <summary>The real key's id the request was (or would have been) sent with, once authenticated.</summary>
    public string? KeyId { get; internal set; }

    /// <summary>Allowed (forwarded or answered by the gateway), denied, or failed.</summary>
    public AuditDecision Decision { get; internal set; } = AuditDecision.Deny;

    /// <summary>The deciding rule (<see cref="RuleNames"/>).</summary>
    public string Rule { get; internal set; } = RuleNames.None;

    /// <summary>The response is the upstream's: <see cref="Status"/> is the upstream's status.</summary>
    public bool Forwarded { get; internal set; }

    /// <summary>The response status (so far).</summary>
    public int Status => Context.Response.StatusCode;

    /// <summary>The request body's length as declared, or 0.</summary>
    public long RequestBytes => Context.Request.ContentLength ?? 0;

    /// <summary>The response body's length as declared, or 0.</summary>
    public long ResponseBytes => Context.Response.ContentLength ?? 0;

    /// <summary>
    /// The client's <c>User-Agent</c> header as Kestrel holds it (several values joined with commas), or null when it sent
    /// none. Any length and unredacted: the audit keeps it redacted and at most <see cref="AuditEntry.MaxUserAgentLength"/> characters.
    /// </summary>
    public string? UserAgent
    {
        get
        {
            var values = Context.Request.Headers.UserAgent;
            return values.Count == 0 ? null : values.ToString();
        }
    }

    /// <summary>
    /// A Transactional send (<c>messages/send</c>, <c>send-template</c>, <c>send-raw</c>) whose body the gateway read: the
    /// recipients the body states (see <see cref="SendFacts.Recipients"/>), or null when it states none (<c>send-raw</c>
    /// without <c>to</c>), it could not be read, or the request is no send.
    /// </summary>
    public int? Recipients { get; internal set; }

    /// <summary>
    /// A Transactional send whose body the gateway read: the domain of its <c>from_email</c> (what follows the last
    /// <c>@</c>, as given; empty when there is no <c>@</c>), refused sends included; null when the body names no
    /// <c>from_email</c>, could not be read, or the request is no send.
    /// </summary>
    public string? FromDomain { get; internal set; }

    /// <summary>Time since the request reached the gateway.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Started);

    internal OutcomeObservers Observers { get; }

    /// <summary>The flow of the API addressed, or null for none.</summary>
    internal IApiFlow? Flow { get; set; }

    internal NeutralAnswers Neutral { get; }

    internal HttpContext Context { get; }

    internal long Started { get; }

    /// <summary>Refused because audit records cannot be written: its own record is not waited for.</summary>
    internal bool AuditRefused { get; set; }

    /// <summary>The record has been written (or handed over): what it said, to tell a later change.</summary>
    internal bool Committed { get; set; }

    internal AuditDecision CommittedDecision { get; set; }

    internal string? CommittedRule { get; set; }

    /// <summary>The rate window this request was counted in, or -1.</summary>
    internal long RateWindow { get; set; } = -1;

    /// <summary>The day this request's messages were counted on, or -1.</summary>
    internal long QuotaDay { get; set; } = -1;

    /// <summary>How many messages were counted on <see cref="QuotaDay"/>.</summary>
    internal int QuotaMessages { get; set; }

    /// <summary>The request's browser origin, once its token is known to allow it; null otherwise.</summary>
    internal string? AllowedOrigin { get; set; }

    /// <summary>The watch on a streamed body, when the request has one.</summary>
    internal TokenGuardStream? BodyGuard { get; set; }
}
