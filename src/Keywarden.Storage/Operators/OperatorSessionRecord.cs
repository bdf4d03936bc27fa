// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
namespace Keywarden.Storage;

/// <summary>A login session of an operator: the SHA-256 of its <c>kws_</c> token, never the token.</summary>
/// <param name="Id">Stable id, e.g. <c>ses_…</c>, for listing and revoking.</param>
/// <param name="OperatorId">Whose session it is.</param>
/// <param name="TokenHash">SHA-256 of the session token.</param>
/// <param name="CreatedAt">When the operator logged in.</param>
/// <param name="LastUsedAt">When the session was last used (written at most once a minute): the idle timeout counts from it.</param>
/// <param name="ExpiresAt">The absolute end of the session.</param>
public sealed record OperatorSessionRecord(string Id, string OperatorId, byte[] TokenHash, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>When it was revoked (logout, or by an admin), or null.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When a TOTP code was last presented in this session for a sensitive action (step-up), or null.</summary>
    public DateTimeOffset? SteppedUpAt { get; init; }
}
