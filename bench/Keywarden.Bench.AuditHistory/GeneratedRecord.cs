using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Monitoring;

namespace Keywarden.Bench.AuditHistory;

/// <summary>One generated gateway request, as an audit export line holds it.</summary>
internal readonly record struct GeneratedRecord(
    long TimeMs,
    string? TokenId,
    string? UpstreamId,
    string? Client,
    string Method,
    string Path,
    AuditDecision Decision,
    string Rule,
    int? Status,
    int? Recipients = null,
    string? FromDomain = null,
    string? UserAgent = null)
{
    public MonitorEvent ToEvent() => new(
        DateTimeOffset.FromUnixTimeMilliseconds(TimeMs), AuditKind.Request, TokenId, UpstreamId, Client,
        Path.StartsWith('/') ? UpstreamKind.Marketing : UpstreamKind.Transactional, Method, Path, Decision, Rule, Status,
        Recipients, FromDomain, UserAgent);
}
