// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using Keywarden.Core.Operators;

namespace Keywarden.Application;

/// <summary>An operator as listed: no password hash, no TOTP secret.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Role">What the operator may do.</param>
/// <param name="Enrolled">Whether TOTP is confirmed (until then the operator cannot log in).</param>
/// <param name="CreatedAt">When the operator joined.</param>
/// <param name="LastSeenAt">When the operator last logged in or used a session, or null.</param>
/// <param name="LockedUntil">Until when failed logins lock the account, or null.</param>
/// <param name="RecoveryCodesLeft">How many recovery codes are unused.</param>
public sealed record OperatorView(
    string Name, OperatorRole Role, bool Enrolled, DateTimeOffset CreatedAt, DateTimeOffset? LastSeenAt, DateTimeOffset? LockedUntil, int RecoveryCodesLeft);
