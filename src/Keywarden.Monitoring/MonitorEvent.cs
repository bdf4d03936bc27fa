using Keywarden.Core.Audit;
using Keywarden.Core.Keys;

namespace Keywarden.Monitoring;

/// <summary>
/// One gateway request as the detectors see it: an audit record's facts, never a secret or a body. The live gateway
/// builds one from a request's outcome; <see cref="Replay.AuditExportReader"/> builds one from an <c>audit export</c> line.
/// </summary>
/// <param name="Time">When the request was recorded (UTC).</param>
/// <param name="Kind">A gateway request, or an admin action (skipped by the engine).</param>
/// <param name="TokenId">The token's accessor id (<c>tok_…</c>), or null when the request carried no token the gateway knows.</param>
/// <param name="UpstreamId">The upstream the token maps to, when known.</param>
/// <param name="Client">The client's address as text (IPv4 or IPv6), as the gateway determined it; null when unknown.</param>
/// <param name="Api">The API the request addressed, when known.</param>
/// <param name="Method">The canonical method: the HTTP method after any override (Transactional: <c>POST</c>, or the call's name).</param>
/// <param name="Path">The canonical path: Marketing <c>/lists/abc123/members</c> (with or without <c>/3.0</c>), Transactional <c>messages/send</c>.</param>
/// <param name="Decision">Allowed, denied or failed.</param>
/// <param name="Rule">The deciding rule (<see cref="Core.Policy.RuleNames"/>; <c>decoy</c> for a decoy token). An unknown rule counts by its decision.</param>
/// <param name="UpstreamStatus">The upstream's HTTP status, when the request reached it.</param>
/// <param name="Recipients">Transactional sends: the message's recipient count.</param>
/// <param name="FromDomain">Transactional sends: the sender's domain.</param>
/// <param name="UserAgent">The client's User-Agent (truncated by the gateway), when it sent one.</param>
public readonly record struct MonitorEvent(
    DateTimeOffset Time,
    AuditKind Kind,
    string? TokenId,
    string? UpstreamId,
    string? Client,
    UpstreamKind? Api,
    string Method,
    string Path,
    AuditDecision Decision,
    string Rule,
    int? UpstreamStatus,
    int? Recipients = null,
    string? FromDomain = null,
    string? UserAgent = null);
