// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;

namespace Keywarden.Storage;

/// <summary>
/// A person who administers Keywarden, as stored: never a password or a TOTP secret in clear. The password is an
/// Argon2id string; the TOTP secret is sealed with the master key like an upstream key (bound to <paramref name="Id"/>).
/// </summary>
/// <param name="Id">Stable id, e.g. <c>op_…</c>.</param>
/// <param name="Name">The login name, unique.</param>
/// <param name="Role">What the operator may do.</param>
/// <param name="PasswordHash">The self-describing password hash (<c>$argon2id$v=19$…</c>).</param>
/// <param name="CreatedAt">When the operator redeemed the invitation.</param>
public sealed record OperatorRecord(string Id, string Name, OperatorRole Role, string PasswordHash, DateTimeOffset CreatedAt)
{
    /// <summary>The TOTP secret, sealed; null before enrolment began.</summary>
    public SealedSecret? TotpSecret { get; init; }

    /// <summary>When the first TOTP code confirmed the enrolment; null until then, and the operator cannot log in.</summary>
    public DateTimeOffset? TotpConfirmedAt { get; init; }

    /// <summary>The time step (Unix seconds / 30) of the last TOTP code accepted; a code must be of a later step.</summary>
    public long? LastTotpStep { get; init; }

    /// <summary>How many recovery codes are unused.</summary>
    public int RecoveryCodesLeft { get; init; }

    /// <summary>Failed logins since the last success.</summary>
    public int FailedAttempts { get; init; }

    /// <summary>When the last failed login was, or null.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>Until when the account refuses every login, or null.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>When the operator last logged in or used a session (at minute precision), or null.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }
}
