// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
namespace Keywarden.Application;

/// <summary>A login session as listed: never its token.</summary>
/// <param name="Id">The session's id (<c>ses_…</c>), to revoke it by.</param>
/// <param name="OperatorName">Whose session it is.</param>
/// <param name="CreatedAt">When the operator logged in.</param>
/// <param name="LastUsedAt">When it was last used (to the minute).</param>
/// <param name="ExpiresAt">When it ends if used on: the earlier of the idle timeout after its last use and its absolute end.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="IsActive">Whether it can still be used.</param>
public sealed record SessionView(
    string Id, string OperatorName, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, bool IsActive);
