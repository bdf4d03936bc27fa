// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using System.Text.RegularExpressions;
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// Operator accounts of the admin API: invitations, passwords (Argon2id), TOTP enrolment with recovery codes, logins into
/// sessions, step-up, machine credentials, and the operators themselves (list, remove, change role; the last admin is kept).
/// </summary>
/// <remarks>
/// <para>
/// Every action takes the <see cref="AdminActor"/> that requested it and is audited, with the actor and client address, in
/// the store transaction of its change. No password, TOTP secret or code, session token, machine credential or invitation
/// code is ever in an audit record, a message or an exception.
/// </para>
/// <para>
/// Roles are the admin API's to check (<see cref="OperatorPrincipal.Has"/>): this service does what it is asked by whoever
/// the caller let through. Login failures are throttled per account (from the 3rd consecutive failure, no attempt before
/// <c>lastFailure + 2^(n-3) s</c>; locked for 15 minutes at the 10th, and every 10th after) and per client address (at most
/// 20 failures per 15 minutes, counted in this instance's memory). Every failure answers <see cref="VaultErrorCode.LoginFailed"/>,
/// after the same Argon2id work for an unknown name as for a known one.
/// </para>
/// </remarks>
public sealed partial class OperatorService
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinPasswordLength = 12;

    /// <summary>The longest password accepted (a limit on the hashing work one request can ask for).</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>The furthest a machine credential's expiry may be.</summary>
    public static readonly TimeSpan MaxMachineCredentialLifetime = TimeSpan.FromDays(365);

    // A session's last use is written at most this often: authenticating is a read, not a write, on most requests.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    // Argon2id holds its memory for the whole computation: bound how many run at once in the process.
    private static readonly SemaphoreSlim Hashing = new(Math.Max(1, Environment.ProcessorCount));

    private readonly IKeywardenStore _store;
    private readonly MasterKey _masterKey;
    private readonly TimeProvider _time;
    private readonly OperatorServiceOptions _options;
    private readonly AddressThrottle _addresses;
    private readonly Lazy<string> _dummyHash;


    /// <param name="store">The store.</param>
    /// <param name="masterKey">Seals and opens the TOTP secrets.</param>
    /// <param name="time">The clock of every expiry, throttle and TOTP code.</param>
    /// <param name="options">Costs and limits; <see cref="OperatorServiceOptions.Default"/> when null.</param>
    public OperatorService(IKeywardenStore store, MasterKey masterKey, TimeProvider time, OperatorServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(time);
        _options = options ?? OperatorServiceOptions.Default;
        _options.Validate();
        _store = store;
        _masterKey = masterKey;
        _time = time;
        _addresses = new AddressThrottle(_options.AddressFailureLimit, _options.AddressWindow);
        _dummyHash = new Lazy<string>(() => PasswordHash.Hash(Guid.NewGuid().ToString("N"), _options.PasswordMemoryKib, _options.PasswordPasses));
    }

    // Invitations.

    /// <summary>
    /// The first admin's setup code: an invitation as admin for <paramref name="name"/>, issued only while there is no
    /// operator (by <c>init</c>). Shown once.
    /// </summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.SetupAlreadyDone"/>, <see cref="VaultErrorCode.OperatorNameInvalid"/>.</exception>
    public async Task<IssuedInvitation> CreateSetupCodeAsync(string name, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(actor);
        if (await _store.CountOperatorsAsync(cancellationToken) > 0)
        {
            throw new VaultException(VaultErrorCode.SetupAlreadyDone);
        }

        return await IssueInvitationAsync(name, OperatorRole.Admin, actor, "operator.setup", cancellationToken);
    }

    /// <summary>Invites <paramref name="name"/> as <paramref name="role"/>: a one-time <c>kwi_</c> code, valid 24 hours, shown once.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.OperatorNameInvalid"/>, <see cref="VaultErrorCode.OperatorExists"/>.</exception>
    public async Task<IssuedInvitation> InviteAsync(string name, OperatorRole role, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(actor);
        ValidateRole(role);
        if (await _store.FindOperatorAsync(name, cancellationToken) is not null)
        {
            throw new VaultException(VaultErrorCode.OperatorExists, name);
        }

        return await IssueInvitationAsync(name, role, actor, "operator.invite", cancellationToken);
    }

    /// <summary>
    /// Redeems an invitation: the operator it names is created with <paramref name="password"/>. They must then enrol TOTP
    /// (<see cref="BeginEnrolmentAsync"/>, <see cref="CompleteEnrolmentAsync"/>) before they can log in.
    /// </summary>
    /// <exception cref="VaultException">
    /// <see cref="VaultErrorCode.InvitationInvalid"/>, <see cref="VaultErrorCode.PasswordTooShort"/>, <see cref="VaultErrorCode.OperatorExists"/>.
    /// </exception>
    public async Task<OperatorView> RedeemInvitationAsync(string code, string password, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(actor);
        ValidatePassword(password);
        if (!OperatorSecret.TryParse(OperatorSecretKind.Invitation, code.Trim(), out var secret)
            || await _store.FindInvitationByHashAsync(secret.ComputeHash(), cancellationToken) is not { } invitation
            || invitation.UsedAt is not null || invitation.ExpiresAt <= _time.GetUtcNow())
        {
            throw new VaultException(VaultErrorCode.InvitationInvalid);
        }

        var hash = await HashPasswordAsync(password, cancellationToken);
        var now = _time.GetUtcNow();
        var created = new OperatorRecord(RecordId.New("op"), invitation.Name, invitation.Role, hash, now);
        bool redeemed;
        try
        {
            redeemed = await _store.RedeemInvitationAsync(
                invitation.Id, created, now, Audit(now, actor, "operator.join", created.Name, $"joined as {Word(created.Role)} (invitation {invitation.Id})"), cancellationToken);
        }
        catch (StorageException exception) when (exception.Error == StorageError.Conflict)
        {
            throw new VaultException(VaultErrorCode.OperatorExists, invitation.Name, innerException: exception);
        }

        return redeemed ? View(created) : throw new VaultException(VaultErrorCode.InvitationInvalid);
    }

    // TOTP enrolment.

    /// <summary>
    /// Starts TOTP enrolment for an operator who has not finished one, after checking their password (throttled like a
    /// login): a new secret, sealed in the store, returned once with its <c>otpauth://</c> URI. Starting again replaces
    /// an unconfirmed secret.
    /// </summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.LoginFailed"/>, <see cref="VaultErrorCode.TotpAlreadyEnrolled"/>.</exception>
    public async Task<TotpEnrolment> BeginEnrolmentAsync(string name, string password, AdminActor actor, CancellationToken cancellationToken = default)
    {
        var account = await CheckPasswordAsync(name, password, actor, cancellationToken);
        if (account.TotpConfirmedAt is not null)
        {
            throw new VaultException(VaultErrorCode.TotpAlreadyEnrolled, account.Name);
        }

        var secret = TotpCodes.NewSecret();
        var base32 = TotpCodes.ToBase32(secret);
        await _store.SetMasterKeyIdAsync(_masterKey.Id, cancellationToken);
        var now = _time.GetUtcNow();
        if (!await _store.BeginTotpEnrolmentAsync(
            account.Id, EnvelopeCipher.Seal(_masterKey, account.Id, base32), Audit(now, actor, "operator.enrol.begin", account.Name), cancellationToken))
        {
            throw new VaultException(VaultErrorCode.TotpAlreadyEnrolled, account.Name);
        }

        return new TotpEnrolment(base32, TotpCodes.Uri(account.Name, base32));
    }

    /// <summary>
    /// Confirms TOTP enrolment with a first code (after checking the password, throttled like a login) and returns the 10
    /// recovery codes, shown once and stored hashed; each can stand in for a TOTP code once. From now on the operator can log in.
    /// </summary>
    /// <exception cref="VaultException">
    /// <see cref="VaultErrorCode.LoginFailed"/>, <see cref="VaultErrorCode.TotpAlreadyEnrolled"/>, <see cref="VaultErrorCode.TotpCodeInvalid"/>.
    /// </exception>
    public async Task<IReadOnlyList<string>> CompleteEnrolmentAsync(
        string name, string password, string code, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var account = await CheckPasswordAsync(name, password, actor, cancellationToken);
        if (account.TotpConfirmedAt is not null)
        {
            throw new VaultException(VaultErrorCode.TotpAlreadyEnrolled, account.Name);
        }

        var now = _time.GetUtcNow();
        if (account.TotpSecret is null || !TotpCodes.LooksLikeCode(code, out var digits) || TotpCodes.Verify(OpenSecret(account), digits, now) is not { } step)
        {
            await RecordFailureAsync(account, actor, now, "enrolment code invalid", cancellationToken);
            throw new VaultException(VaultErrorCode.TotpCodeInvalid);
        }

        var codes = RecoveryCodes.Generate();
        if (!await _store.ConfirmTotpEnrolmentAsync(
            account.Id, step, [.. codes.Select(c => RecoveryCodes.Hash(c)!)], now,
            Audit(now, actor, "operator.enrol", account.Name, $"TOTP confirmed; {codes.Count} recovery codes issued"), cancellationToken))
        {
            throw new VaultException(VaultErrorCode.TotpCodeInvalid);
        }

        return codes;
    }

    // Sessions.

    /// <summary>
    /// Logs in with name, password and a TOTP code (or an unused recovery code): a <c>kws_</c> session token, shown once.
    /// Every failure is <see cref="VaultErrorCode.LoginFailed"/>, whatever its reason.
    /// </summary>
    /// <param name="name">The operator's login name.</param>
    /// <param name="password">The password.</param>
    /// <param name="code">A 6-digit TOTP code, or a recovery code.</param>
    /// <param name="actor">Who logs in from where: the name typed and the client address (which the per-address limit counts).</param>
    /// <param name="cancellationToken">Stops the login.</param>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.LoginFailed"/>.</exception>
    public async Task<IssuedSession> LoginAsync(string name, string password, string code, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var account = await CheckPasswordAsync(name, password, actor, cancellationToken);
        var now = _time.GetUtcNow();
        if (account.TotpConfirmedAt is null || account.TotpSecret is null)
        {
            await RecordFailureAsync(account, actor, now, "TOTP enrolment not finished", cancellationToken);
            throw new VaultException(VaultErrorCode.LoginFailed);
        }

        SecondFactor? factor = null;
        if (TotpCodes.LooksLikeCode(code, out var digits))
        {
            factor = TotpCodes.Verify(OpenSecret(account), digits, now) is { } step ? SecondFactor.Totp(step) : null;
        }
        else if (RecoveryCodes.Hash(code) is { } recoveryHash)
        {
            factor = SecondFactor.Recovery(recoveryHash);
        }

        var token = OperatorSecret.Generate(OperatorSecretKind.Session);
        var session = new OperatorSessionRecord(RecordId.New("ses"), account.Id, token.ComputeHash(), now, now, now + _options.SessionLifetime);
        var how = factor?.RecoveryCodeHash is null ? "TOTP" : "a recovery code";
        if (factor is null || !await _store.StartSessionAsync(
            session, factor, Audit(now, actor, "operator.login", account.Name, $"session {session.Id} opened with password and {how}"), cancellationToken))
        {
            await RecordFailureAsync(account, actor, now, factor is null ? "second factor wrong" : "second factor already used", cancellationToken);
            throw new VaultException(VaultErrorCode.LoginFailed);
        }

        return new IssuedSession(token.Value, View(session, account.Name, now));
    }

    /// <summary>
    /// Who presents <paramref name="token"/>: a live session token (<c>kws_</c>; its idle window slides, the last use written
    /// at most once a minute) or a valid machine credential (<c>kwm_</c>).
    /// </summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.SessionInvalid"/>: unknown, malformed, expired or revoked.</exception>
    public async Task<OperatorPrincipal> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = _time.GetUtcNow();
        if (OperatorSecret.TryParse(OperatorSecretKind.Machine, token, out var machine))
        {
            var credential = await _store.FindMachineCredentialByHashAsync(machine.ComputeHash(), cancellationToken);
            return credential is { RevokedAt: null } && credential.ExpiresAt > now
                ? new OperatorPrincipal(credential.Name, credential.Role, IsMachine: true, SessionId: null, SteppedUpAt: null)
                : throw new VaultException(VaultErrorCode.SessionInvalid);
        }

        var (session, account) = await FindLiveSessionAsync(token, now, cancellationToken);
        if (now - session.LastUsedAt >= TouchInterval)
        {
            await _store.TouchSessionAsync(session.Id, now, cancellationToken);
        }

        return new OperatorPrincipal(account.Name, account.Role, IsMachine: false, session.Id, session.SteppedUpAt);
    }

    /// <summary>Ends the session of <paramref name="token"/>.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.SessionInvalid"/>.</exception>
    public async Task LogoutAsync(string token, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(actor);
        var now = _time.GetUtcNow();
        var (session, account) = await FindLiveSessionAsync(token, now, cancellationToken);
        if (!await _store.RevokeSessionAsync(session.Id, now, Audit(now, actor, "operator.logout", account.Name, $"session {session.Id}"), cancellationToken))
        {
            throw new VaultException(VaultErrorCode.SessionInvalid);
        }
    }

    /// <summary>Every session of operator <paramref name="name"/>, newest first, ended ones included.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.OperatorNotFound"/>.</exception>
    public async Task<IReadOnlyList<SessionView>> ListSessionsAsync(string name, CancellationToken cancellationToken = default)
    {
        var account = await GetByNameAsync(name, cancellationToken);
        var now = _time.GetUtcNow();
        return [.. (await _store.ListSessionsAsync(account.Id, cancellationToken)).Select(s => View(s, account.Name, now))];
    }

    /// <summary>Revokes session <paramref name="sessionId"/> (an admin ending someone's session, or an operator one of their own).</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.SessionInvalid"/>: no such session, or already revoked.</exception>
    public async Task RevokeSessionAsync(string sessionId, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(actor);
        var session = await _store.GetSessionAsync(sessionId, cancellationToken) ?? throw new VaultException(VaultErrorCode.SessionInvalid);
        var owner = await _store.GetOperatorAsync(session.OperatorId, cancellationToken);
        var now = _time.GetUtcNow();
        if (!await _store.RevokeSessionAsync(
            sessionId, now, Audit(now, actor, "operator.session.revoke", owner?.Name ?? session.OperatorId, $"session {sessionId}"), cancellationToken))
        {
            throw new VaultException(VaultErrorCode.SessionInvalid);
        }
    }

    // Step-up.

    /// <summary>
    /// Records a fresh TOTP proof in the session of <paramref name="token"/>: sensitive actions then pass
    /// <see cref="RequireRecentStepUp"/> for 5 minutes. A wrong or replayed code counts as a failed login.
    /// </summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.SessionInvalid"/>, <see cref="VaultErrorCode.TotpCodeInvalid"/>.</exception>
    public async Task<OperatorPrincipal> StepUpAsync(string token, string code, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(actor);
        var now = _time.GetUtcNow();
        var (session, account) = await FindLiveSessionAsync(token, now, cancellationToken);
        var throttled = IsThrottled(account, now);
        long? step = !throttled && account.TotpSecret is not null && TotpCodes.LooksLikeCode(code, out var digits)
            ? TotpCodes.Verify(OpenSecret(account), digits, now)
            : null;
        if (step is null || !await _store.StepUpSessionAsync(
            session.Id, SecondFactor.Totp(step.Value), now, Audit(now, actor, "operator.stepup", account.Name, $"session {session.Id}"), cancellationToken))
        {
            await RecordFailureAsync(account, actor, now, throttled ? "step-up while throttled" : "step-up code wrong or already used", cancellationToken);
            throw new VaultException(VaultErrorCode.TotpCodeInvalid);
        }

        return new OperatorPrincipal(account.Name, account.Role, IsMachine: false, session.Id, now);
    }

    /// <summary>True when the principal presented a TOTP code in its session within the last 5 minutes. Never for a machine credential.</summary>
    public bool HasRecentStepUp(OperatorPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return !principal.IsMachine && principal.SteppedUpAt is { } at && _time.GetUtcNow() - at <= _options.StepUpValidity;
    }

    /// <summary>Refuses unless <see cref="HasRecentStepUp"/>.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.StepUpRequired"/>.</exception>
    public void RequireRecentStepUp(OperatorPrincipal principal)
    {
        if (!HasRecentStepUp(principal))
        {
            throw new VaultException(VaultErrorCode.StepUpRequired);
        }
    }

    // Operators.

    /// <summary>Every operator, by name.</summary>
    public async Task<IReadOnlyList<OperatorView>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await _store.ListOperatorsAsync(cancellationToken)).Select(View)];

    /// <summary>Removes operator <paramref name="name"/> with their sessions; never the last admin.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.OperatorNotFound"/>, <see cref="VaultErrorCode.LastAdmin"/>.</exception>
    public async Task RemoveAsync(string name, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var account = await GetByNameAsync(name, cancellationToken);
        var now = _time.GetUtcNow();
        Check(await _store.RemoveOperatorAsync(account.Id, Audit(now, actor, "operator.remove", account.Name, $"was {Word(account.Role)}"), cancellationToken), account.Name);
    }

    /// <summary>Gives operator <paramref name="name"/> the role <paramref name="role"/>; never demotes the last admin. False when they already had it.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.OperatorNotFound"/>, <see cref="VaultErrorCode.LastAdmin"/>.</exception>
    public async Task<bool> ChangeRoleAsync(string name, OperatorRole role, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ValidateRole(role);
        var account = await GetByNameAsync(name, cancellationToken);
        var now = _time.GetUtcNow();
        var change = await _store.ChangeRoleAsync(
            account.Id, role, Audit(now, actor, "operator.role", account.Name, $"{Word(account.Role)} -> {Word(role)}"), cancellationToken);
        Check(change, account.Name);
        return change == OperatorChange.Done;
    }

    // Machine credentials.

    /// <summary>Issues a machine credential (<c>kwm_</c>, shown once) named <paramref name="name"/>, valid until <paramref name="expiresAt"/> (at most a year).</summary>
    /// <exception cref="VaultException">
    /// <see cref="VaultErrorCode.OperatorNameInvalid"/>, <see cref="VaultErrorCode.MachineCredentialExpiryInvalid"/>, <see cref="VaultErrorCode.MachineCredentialExists"/>.
    /// </exception>
    public async Task<IssuedMachineCredential> IssueMachineCredentialAsync(
        string name, OperatorRole role, DateTimeOffset expiresAt, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ValidateRole(role);
        ArgumentNullException.ThrowIfNull(actor);
        var now = _time.GetUtcNow();
        if (expiresAt <= now || expiresAt - now > MaxMachineCredentialLifetime)
        {
            throw new VaultException(VaultErrorCode.MachineCredentialExpiryInvalid, ((int)MaxMachineCredentialLifetime.TotalDays).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var secret = OperatorSecret.Generate(OperatorSecretKind.Machine);
        var record = new MachineCredentialRecord(RecordId.New("mc"), name, role, secret.ComputeHash(), now, expiresAt);
        try
        {
            await _store.AddMachineCredentialAsync(
                record, Audit(now, actor, "machine.issue", "machine:" + name, $"{Word(role)}, expires {expiresAt:u}"), cancellationToken);
        }
        catch (StorageException exception) when (exception.Error == StorageError.Conflict)
        {
            throw new VaultException(VaultErrorCode.MachineCredentialExists, name, innerException: exception);
        }

        return new IssuedMachineCredential(secret.Value, View(record));
    }

    /// <summary>Every machine credential, by name; revoked and expired ones included.</summary>
    public async Task<IReadOnlyList<MachineCredentialView>> ListMachineCredentialsAsync(CancellationToken cancellationToken = default) =>
        [.. (await _store.ListMachineCredentialsAsync(cancellationToken)).Select(View)];

    /// <summary>Revokes the machine credential named <paramref name="name"/>. False when it already was.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.MachineCredentialNotFound"/>.</exception>
    public async Task<bool> RevokeMachineCredentialAsync(string name, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(actor);
        var credential = (await _store.ListMachineCredentialsAsync(cancellationToken)).FirstOrDefault(c => c.Name == name)
            ?? throw new VaultException(VaultErrorCode.MachineCredentialNotFound, name);
        var now = _time.GetUtcNow();
        return await _store.RevokeMachineCredentialAsync(credential.Id, now, Audit(now, actor, "machine.revoke", "machine:" + name), cancellationToken);
    }

    /// <summary>The lower-case word of a role, as stored and typed.</summary>
    public static string Word(OperatorRole role) => role switch
    {
        OperatorRole.Viewer => "viewer",
        OperatorRole.Operator => "operator",
        OperatorRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown operator role"),
    };

    private async Task<IssuedInvitation> IssueInvitationAsync(string name, OperatorRole role, AdminActor actor, string action, CancellationToken cancellationToken)
    {
        var code = OperatorSecret.Generate(OperatorSecretKind.Invitation);
        var now = _time.GetUtcNow();
        var invitation = new InvitationRecord(RecordId.New("inv"), name, role, code.ComputeHash(), now, now + _options.InvitationLifetime);
        await _store.AddInvitationAsync(
            invitation, Audit(now, actor, action, name, $"invitation {invitation.Id} as {Word(role)}, expires {invitation.ExpiresAt:u}"), cancellationToken);
        return new IssuedInvitation(code.Value, name, role, invitation.ExpiresAt);
    }

    /// <summary>
    /// The operator whose password this is, or <see cref="VaultErrorCode.LoginFailed"/> after the same hashing work whatever
    /// went wrong: address over its limit, unknown name, locked or backing-off account, wrong password.
    /// </summary>
    private async Task<OperatorRecord> CheckPasswordAsync(string name, string password, AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(actor);
        var now = _time.GetUtcNow();
        if (_addresses.IsBlocked(actor.ClientAddress, now))
        {
            // Not audited: the address already failed the limit's worth of times on record, and a flood must not fill the log.
            throw new VaultException(VaultErrorCode.LoginFailed);
        }

        var account = IsValidName(name) ? await _store.FindOperatorAsync(name, cancellationToken) : null;
        var tooLong = password.Length > MaxPasswordLength;
        var matches = await VerifyPasswordAsync(tooLong ? string.Empty : password, account?.PasswordHash ?? _dummyHash.Value, cancellationToken);
        now = _time.GetUtcNow();
        if (account is null)
        {
            _addresses.RecordFailure(actor.ClientAddress, now);
            await _store.AppendAsync([Audit(now, actor, "operator.login.fail", IsValidName(name) ? name : "(invalid name)", "unknown operator") with { Decision = AuditDecision.Deny }], cancellationToken);
            throw new VaultException(VaultErrorCode.LoginFailed);
        }

        var refusal = account.LockedUntil > now ? "account locked"
            : IsThrottled(account, now) ? "too soon after failed logins"
            : !matches || tooLong ? "wrong password"
            : null;
        if (refusal is not null)
        {
            await RecordFailureAsync(account, actor, now, refusal, cancellationToken);
            throw new VaultException(VaultErrorCode.LoginFailed);
        }

        return account;
    }

    // Locked, or within the backoff after the 3rd and later consecutive failures.
    private bool IsThrottled(OperatorRecord account, DateTimeOffset now) =>
        account.LockedUntil > now
        || (account.FailedAttempts >= 3 && account.LastFailureAt is { } last && now < last + Backoff(account.FailedAttempts));

    // 2^(n-3) seconds, never longer than a lockout: once a lock has passed, so has the backoff.
    private TimeSpan Backoff(int failures)
    {
        var backoff = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 3, 30)));
        return backoff < _options.LockoutDuration ? backoff : _options.LockoutDuration;
    }

    private async Task RecordFailureAsync(OperatorRecord account, AdminActor actor, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        _addresses.RecordFailure(actor.ClientAddress, now);
        var lockUntil = now + _options.LockoutDuration;
        await _store.RecordLoginFailureAsync(
            account.Id,
            now,
            n => Locks(n) ? lockUntil : null,
            n => Audit(now, actor, "operator.login.fail", account.Name, Locks(n) ? $"{reason}; {n} consecutive failures, locked until {lockUntil:u}" : reason)
                with { Decision = AuditDecision.Deny },
            cancellationToken);
    }

    private bool Locks(int failures) => failures % _options.LockoutThreshold == 0;

    private async Task<string> HashPasswordAsync(string password, CancellationToken cancellationToken)
    {
        await Hashing.WaitAsync(cancellationToken);
        try
        {
            return PasswordHash.Hash(password, _options.PasswordMemoryKib, _options.PasswordPasses);
        }
        finally
        {
            Hashing.Release();
        }
    }

    private async Task<bool> VerifyPasswordAsync(string password, string stored, CancellationToken cancellationToken)
    {
        await Hashing.WaitAsync(cancellationToken);
        try
        {
            return PasswordHash.Verify(password, stored, _options.PasswordMemoryKib, _options.PasswordPasses);
        }
        finally
        {
            Hashing.Release();
        }
    }

    private async Task<(OperatorSessionRecord Session, OperatorRecord Account)> FindLiveSessionAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (OperatorSecret.TryParse(OperatorSecretKind.Session, token, out var secret)
            && await _store.FindSessionByHashAsync(secret.ComputeHash(), cancellationToken) is { } session
            && IsLive(session, now)
            && await _store.GetOperatorAsync(session.OperatorId, cancellationToken) is { } account)
        {
            return (session, account);
        }

        throw new VaultException(VaultErrorCode.SessionInvalid);
    }

    private bool IsLive(OperatorSessionRecord session, DateTimeOffset now) => session.RevokedAt is null && now < EndOf(session);

    private DateTimeOffset EndOf(OperatorSessionRecord session)
    {
        var idleEnd = session.LastUsedAt + _options.SessionIdleTimeout;
        return idleEnd < session.ExpiresAt ? idleEnd : session.ExpiresAt;
    }

    private byte[] OpenSecret(OperatorRecord account) => TotpCodes.FromBase32(EnvelopeCipher.OpenString(_masterKey, account.Id, account.TotpSecret!));

    private async Task<OperatorRecord> GetByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await _store.FindOperatorAsync(name, cancellationToken) ?? throw new VaultException(VaultErrorCode.OperatorNotFound, name);
    }

    private static void Check(OperatorChange change, string name)
    {
        switch (change)
        {
            case OperatorChange.NotFound:
                throw new VaultException(VaultErrorCode.OperatorNotFound, name);
            case OperatorChange.LastAdmin:
                throw new VaultException(VaultErrorCode.LastAdmin, name);
        }
    }

    private static AuditEntry Audit(DateTimeOffset now, AdminActor actor, string action, string target, string? detail = null) =>
        AuditEntry.ForAdmin(now, actor.Name, action, target, detail) with { ClientAddress = actor.ClientAddress };

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new VaultException(VaultErrorCode.OperatorNameInvalid, name);
        }
    }

    private static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static void ValidateRole(OperatorRole role)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "unknown operator role");
        }
    }

    private static void ValidatePassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            throw new VaultException(VaultErrorCode.PasswordTooShort, MinPasswordLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static OperatorView View(OperatorRecord record) =>
        new(record.Name, record.Role, record.TotpConfirmedAt is not null, record.CreatedAt, record.LastSeenAt, record.LockedUntil, record.RecoveryCodesLeft);

    private SessionView View(OperatorSessionRecord session, string operatorName, DateTimeOffset now) =>
        new(session.Id, operatorName, session.CreatedAt, session.LastUsedAt, EndOf(session), session.RevokedAt, IsLive(session, now));

    private static MachineCredentialView View(MachineCredentialRecord record) =>
        new(record.Id, record.Name, record.Role, record.CreatedAt, record.ExpiresAt, record.RevokedAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();
}
