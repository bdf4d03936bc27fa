using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;

namespace Keywarden.Monitoring.Gateway;

/// <summary>
/// A request's outcome as the observer copies it on the request's thread: references to strings that already exist, no
/// formatting. The monitor's thread turns it into a <see cref="MonitorEvent"/> (the address formatted, the user agent
/// redacted and cut as the audit log keeps it).
/// </summary>
internal readonly record struct ObservedRequest(
    DateTimeOffset Time,
    string? TokenId,
    string? UpstreamId,
    IPAddress Client,
    UpstreamKind? Api,
    string Method,
    string Path,
    AuditDecision Decision,
    string Rule,
    int? UpstreamStatus,
    int? Recipients,
    string? FromDomain,
    string? UserAgent)
{
    public MonitorEvent ToEvent() => new(
        Time,
        AuditKind.Request,
        TokenId,
        UpstreamId,
        Client.ToString(),
        Api,
        Method,
        Path,
        Decision,
        Rule,
        UpstreamStatus,
        Recipients,
        FromDomain,
        UserAgent is null ? null : AuditChain.StoredUserAgent(UserAgent));
}
