using Keywarden.Core.Monitoring;
using Keywarden.Core.Policy;

namespace Keywarden.Storage;

/// <summary>A gateway token as stored: its hash and public accessor id, never the token.</summary>
/// <param name="Id">The public accessor id (<c>tok_…</c>).</param>
/// <param name="Name">What the token is for, e.g. the application's name.</param>
/// <param name="UpstreamId">The upstream whose key the token maps to.</param>
/// <param name="Hash">SHA-256 of the token.</param>
/// <param name="Policy">What the token may do.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
public sealed record TokenRecord(
    string Id,
    string Name,
    string UpstreamId,
    byte[] Hash,
    TokenPolicy Policy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>
    /// The id of the token that replaced this one (<c>token rotate</c>), or null. A replaced token works
    /// until its expiry (the grace period); after it the gateway treats it as unknown, like a revoked one.
    /// </summary>
    public string? SupersededBy { get; init; }

    /// <summary>
    /// A decoy: issued to be planted where an attacker looks, never to be used. Fixed at issue. The gateway answers it as
    /// a revoked token, never forwards it, and audits its use under rule <c>decoy</c>.
    /// </summary>
    public bool Decoy { get; init; }

    /// <summary>Set while the token is suspended (by the anomaly monitor or an operator); null when it is not.</summary>
    public TokenSuspension? Suspension { get; init; }

    /// <summary>What an anomaly alert about this token does; null follows the server's default.</summary>
    public AnomalyResponse? OnAnomaly { get; init; }
}
