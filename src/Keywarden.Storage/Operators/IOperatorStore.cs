// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;

namespace Keywarden.Storage;

/// <summary>
/// Operators (people), their sessions, machine credentials and invitations. Secrets are stored only as hashes (sessions,
/// machine credentials, invitations, recovery codes), an Argon2id string (passwords) or sealed (TOTP secrets). Every change
/// an operator or admin makes appends its <c>audit</c> record in the same transaction; the bookkeeping of use (a session's
/// last use) is not audited.
/// </summary>
public interface IOperatorStore
{
    /// <summary>Stores an invitation and appends <paramref name="audit"/>.</summary>
    /// <exception cref="StorageException">Duplicate id or hash (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task AddInvitationAsync(InvitationRecord invitation, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The invitation whose code's SHA-256 is <paramref name="hash"/>, used or not, or null.</summary>
    Task<InvitationRecord?> FindInvitationByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Redeems invitation <paramref name="invitationId"/> by adding <paramref name="created"/> (its name and role must be the
    /// invitation's) and appends <paramref name="audit"/>, in one transaction. False (nothing written) when the invitation is
    /// unknown, already used or expired at <paramref name="now"/>.
    /// </summary>
    /// <exception cref="StorageException">An operator of that name or id exists (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task<bool> RedeemInvitationAsync(string invitationId, OperatorRecord created, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The number of operators: zero before the first admin redeemed the setup code.</summary>
    Task<int> CountOperatorsAsync(CancellationToken cancellationToken = default);

    /// <summary>The operator with that login name, or null.</summary>
    Task<OperatorRecord?> FindOperatorAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The operator with that id, or null.</summary>
    Task<OperatorRecord?> GetOperatorAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every operator, by name.</summary>
    Task<IReadOnlyList<OperatorRecord>> ListOperatorsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new TOTP secret for an operator that has not confirmed one (replacing an unconfirmed one) and appends
    /// <paramref name="audit"/>. False (nothing written) when the operator is unknown or already enrolled.
    /// </summary>
    Task<bool> BeginTotpEnrolmentAsync(string operatorId, SealedSecret secret, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms the operator's TOTP secret with a first code of time step <paramref name="totpStep"/>, replaces the recovery
    /// codes with <paramref name="recoveryCodeHashes"/> and appends <paramref name="audit"/>, in one transaction. False
    /// (nothing written) when the operator is unknown, has no unconfirmed secret, or the step is not later than the last accepted one.
    /// </summary>
    Task<bool> ConfirmTotpEnrolmentAsync(
        string operatorId, long totpStep, IReadOnlyList<byte[]> recoveryCodeHashes, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed login of an operator: the failure count goes up by one, the last failure time becomes
    /// <paramref name="at"/>, and the account is locked until <paramref name="lockUntil"/> gives for the new count (null: not
    /// locked, an existing lock stands). Appends the record <paramref name="audit"/> makes of the new count in the same
    /// transaction. Returns the new count, or null for an unknown operator (nothing written then).
    /// </summary>
    Task<int?> RecordLoginFailureAsync(
        string operatorId, DateTimeOffset at, Func<int, DateTimeOffset?> lockUntil, Func<int, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a session after a correct password: consumes <paramref name="factor"/> (a TOTP step later than the last
    /// accepted one, or an unused recovery code), clears the failure count and lock, stores <paramref name="session"/> and
    /// appends <paramref name="audit"/>, all in one transaction. False (nothing written) when the factor was already used
    /// (a replayed code, a spent recovery code) or the operator is unknown or not enrolled.
    /// </summary>
    Task<bool> StartSessionAsync(OperatorSessionRecord session, SecondFactor factor, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The session whose token's SHA-256 is <paramref name="tokenHash"/>, revoked or expired or not, or null.</summary>
    Task<OperatorSessionRecord?> FindSessionByHashAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>The session with that id, or null.</summary>
    Task<OperatorSessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Every session of an operator, newest first; revoked and expired ones included.</summary>
    Task<IReadOnlyList<OperatorSessionRecord>> ListSessionsAsync(string operatorId, CancellationToken cancellationToken = default);

    /// <summary>Records a use of a session (its last use and its operator's last-seen time). Bookkeeping, not audited.</summary>
    Task TouchSessionAsync(string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a step-up in a live session: consumes the TOTP step of <paramref name="factor"/> like a login, sets the
    /// session's step-up time to <paramref name="at"/> and appends <paramref name="audit"/>, in one transaction. False
    /// (nothing written) when the step was already used or the session is unknown or revoked.
    /// </summary>
    Task<bool> StepUpSessionAsync(string sessionId, SecondFactor factor, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Revokes a session and appends <paramref name="audit"/>. False (nothing written) when unknown or already revoked.</summary>
    Task<bool> RevokeSessionAsync(string sessionId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes an operator's role and appends <paramref name="audit"/>; refuses (<see cref="OperatorChange.LastAdmin"/>) to
    /// demote the last admin. The check and the change are one transaction.
    /// </summary>
    Task<OperatorChange> ChangeRoleAsync(string operatorId, OperatorRole role, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an operator with their sessions and recovery codes and appends <paramref name="audit"/>; refuses
    /// (<see cref="OperatorChange.LastAdmin"/>) to remove the last admin. The check and the change are one transaction.
    /// </summary>
    Task<OperatorChange> RemoveOperatorAsync(string operatorId, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Stores a machine credential and appends <paramref name="audit"/>.</summary>
    /// <exception cref="StorageException">Its name, id or hash is taken (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task AddMachineCredentialAsync(MachineCredentialRecord credential, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The machine credential whose SHA-256 is <paramref name="hash"/>, revoked or expired or not, or null.</summary>
    Task<MachineCredentialRecord?> FindMachineCredentialByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>Every machine credential, by name; revoked and expired ones included.</summary>
    Task<IReadOnlyList<MachineCredentialRecord>> ListMachineCredentialsAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes a machine credential and appends <paramref name="audit"/>. False (nothing written) when unknown or already revoked.</summary>
    Task<bool> RevokeMachineCredentialAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default);
}
