using Keywarden.Core.Audit;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// What the audit records of administrative actions share. The store appends each record in the transaction of its
/// change (the <c>audit</c> parameter of every changing store method), so there is no recording afterwards.
/// </summary>
internal static class AdminAudit
{
    /// <summary>Who acts when nobody says otherwise: the operating system user running Keywarden.</summary>
    public static string DefaultActor => Environment.UserName;

    /// <summary>An administrative action by <paramref name="actor"/>, with the client address it came from (null for the local CLI).</summary>
    public static AuditEntry Entry(DateTimeOffset time, AdminActor actor, string action, string target, string? detail = null) =>
        AuditEntry.ForAdmin(time, actor.Name, action, target, detail) with { ClientAddress = actor.ClientAddress };

    /// <summary>
    /// The record of <c>token rotate</c>: acting on the old token, about the successor (<c>token_id</c>),
    /// with the lineage and the end of the old token's grace period in the detail, e.g.
    /// <c>tok_new succeeds tok_old ('billing' on upstream 'news'); tok_old expires at 2026-11-24 16:00:00Z</c>.
    /// </summary>
    public static AuditEntry TokenRotated(DateTimeOffset time, AdminActor actor, TokenRecord retired, TokenRecord successor, string upstreamName)
    {
        var end = retired.RevokedAt is { } revoked
            ? $"{retired.Id} revoked at once"
            : $"{retired.Id} expires at {retired.Policy.ExpiresAt:u}";
        return Entry(
                time, actor, "token.rotate", retired.Id, $"{successor.Id} succeeds {retired.Id} ('{successor.Name}' on upstream '{upstreamName}'); {end}")
            with { TokenId = successor.Id, UpstreamId = successor.UpstreamId };
    }
}
