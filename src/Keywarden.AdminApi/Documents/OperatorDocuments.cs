using Keywarden.Application;

namespace Keywarden.AdminApi.Documents;

/// <summary>Operators, sessions and machine credentials as the admin API answers them (and <c>operator … --json</c> is to print them).</summary>
public static class OperatorDocuments
{
    /// <summary>One operator: never a password hash, TOTP secret or recovery code.</summary>
    public static object Operator(OperatorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new
        {
            name = view.Name,
            role = OperatorService.Word(view.Role),
            enrolled = view.Enrolled,
            created_at = view.CreatedAt,
            last_seen_at = view.LastSeenAt,
            locked_until = view.LockedUntil,
            recovery_codes_left = view.RecoveryCodesLeft,
        };
    }

    /// <summary>One session, by id: never its token.</summary>
    public static object Session(SessionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new
        {
            id = view.Id,
            @operator = view.OperatorName,
            created_at = view.CreatedAt,
            last_used_at = view.LastUsedAt,
            expires_at = view.ExpiresAt,
            revoked_at = view.RevokedAt,
            active = view.IsActive,
        };
    }

    /// <summary>
    /// A redeemed invitation with TOTP enrolment begun: the operator, and the TOTP secret and <c>otpauth://</c> URI to add
    /// to an authenticator app (the one time they are shown).
    /// </summary>
    public static object Joined(OperatorView joined, TotpEnrolment enrolment)
    {
        ArgumentNullException.ThrowIfNull(joined);
        ArgumentNullException.ThrowIfNull(enrolment);
        return new { @operator = Operator(joined), totp = new { uri = enrolment.Uri, secret = enrolment.Secret } };
    }

    /// <summary>A finished enrolment: the operator, and the 10 recovery codes (shown once).</summary>
    public static object Enrolled(OperatorView joined, IReadOnlyList<string> recoveryCodes)
    {
        ArgumentNullException.ThrowIfNull(joined);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return new { @operator = Operator(joined with { Enrolled = true, RecoveryCodesLeft = recoveryCodes.Count }), recovery_codes = recoveryCodes };
    }

    /// <summary>A login: the session token, the one time it is shown, and the session.</summary>
    public static object LoggedIn(IssuedSession issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return new { token = issued.Token, session = Session(issued.Session) };
    }

    /// <summary>An invitation: the code the new operator redeems, shown once.</summary>
    public static object Invitation(IssuedInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return new { name = invitation.Name, role = OperatorService.Word(invitation.Role), code = invitation.Code, expires_at = invitation.ExpiresAt };
    }

    /// <summary>One machine credential: never its secret.</summary>
    public static object MachineCredential(MachineCredentialView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new
        {
            id = view.Id,
            name = view.Name,
            role = OperatorService.Word(view.Role),
            created_at = view.CreatedAt,
            expires_at = view.ExpiresAt,
            revoked_at = view.RevokedAt,
        };
    }

    /// <summary>A machine credential just issued: the credential, the one time it is shown.</summary>
    public static object IssuedMachineCredential(IssuedMachineCredential issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return new { credential = issued.Credential, machine_credential = MachineCredential(issued.View) };
    }
}
