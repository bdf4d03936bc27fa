namespace Keywarden.Application;

/// <summary>
/// Why the vault refused a request; each front end (CLI, admin API, console) says it in its own words, with its own
/// option and command names. <see cref="VaultException.Value"/> and <see cref="VaultException.Detail"/> carry what the
/// words need; neither is ever a secret.
/// </summary>
public enum VaultErrorCode
{
    /// <summary>A token's name is empty or longer than 100 characters.</summary>
    TokenNameInvalid,

    /// <summary>No upstream has the name in <see cref="VaultException.Value"/>.</summary>
    UpstreamNotFound,

    /// <summary>What was given is not a token accessor id (it is not kept: it might be a token's secret).</summary>
    NotATokenId,

    /// <summary>No token has the id in <see cref="VaultException.Value"/>.</summary>
    TokenNotFound,

    /// <summary>The token presented is not one this vault issued.</summary>
    TokenNotOfThisVault,

    /// <summary>The token <see cref="VaultException.Value"/> cannot be rotated (revoked, expired or already rotated: the store's words in <see cref="VaultException.Detail"/>).</summary>
    TokenNotRotatable,

    /// <summary>
    /// The token <see cref="VaultException.Value"/> cannot be suspended: it is revoked or a decoy, which no request can use
    /// anyway (the store's words in <see cref="VaultException.Detail"/>).
    /// </summary>
    TokenNotSuspendable,

    /// <summary>The reason given for a suspension is empty or longer than 500 characters.</summary>
    SuspensionReasonInvalid,

    /// <summary>A token policy is refused: <see cref="VaultException.Problem"/> says why, typed.</summary>
    PolicyRefused,

    /// <summary>An upstream name is not 1 to 63 lower-case letters, digits, '.', '_' or '-' (<see cref="VaultException.Value"/>).</summary>
    UpstreamNameInvalid,

    /// <summary>The maximum key age given is zero or negative.</summary>
    MaxKeyAgeNotPositive,

    /// <summary>The text given is not a key of the upstream's kind (<see cref="VaultException.Detail"/> says why, never with the text).</summary>
    KeyMalformed,

    /// <summary>An upstream named <see cref="VaultException.Value"/> already exists.</summary>
    UpstreamExists,

    /// <summary>The key is already stored, as upstream <see cref="VaultException.Value"/>.</summary>
    KeyAlreadyStored,

    /// <summary>The provider refused the key: unknown or revoked (its answer in <see cref="VaultException.Detail"/>).</summary>
    KeyRefused,

    /// <summary>The key could not be verified: the provider did not answer (<see cref="VaultException.Detail"/>).</summary>
    KeyNotVerified,

    /// <summary>The upstream <see cref="VaultException.Value"/> has no current key.</summary>
    NoCurrentKey,

    /// <summary>A stored key does not open with the master key (<see cref="VaultException.Value"/>: the key's record id).</summary>
    KeyDoesNotOpen,

    /// <summary>The store is sealed with master key <see cref="VaultException.Value"/>, not the configured <see cref="VaultException.Detail"/>.</summary>
    WrongMasterKey,

    /// <summary>A master key rotation was asked to rotate to the key already in use.</summary>
    MasterKeySame,

    /// <summary>A data key did not re-wrap during a master key rotation; nothing was changed.</summary>
    RewrapFailed,

    /// <summary>A master key file already exists at <see cref="VaultException.Value"/>.</summary>
    MasterKeyFileExists,

    /// <summary>The master key file <see cref="VaultException.Value"/> could not be written.</summary>
    MasterKeyFileNotWritten,

    /// <summary>The master key file <see cref="VaultException.Value"/> does not exist.</summary>
    MasterKeyFileMissing,

    /// <summary>Others may read or write the master key file <see cref="VaultException.Value"/> (its mode in <see cref="VaultException.Detail"/>).</summary>
    MasterKeyFileTooOpen,

    /// <summary>The master key file <see cref="VaultException.Value"/> could not be read.</summary>
    MasterKeyFileUnreadable,

    /// <summary>The master key from <see cref="VaultException.Value"/> (a file or the environment variable) is not a master key.</summary>
    MasterKeyMalformed,

    /// <summary>The settings file <see cref="VaultException.Value"/>, which names the master key file, could not be read.</summary>
    SettingsUnreadable,

    /// <summary>The data directory <see cref="VaultException.Value"/> holds no vault.</summary>
    NoDataDirectory,

    /// <summary>A webhook URL is not an absolute http:// or https:// URL without credentials or fragment (<see cref="VaultException.Detail"/> says which; the URL itself is not kept: it may be a secret).</summary>
    WebhookUrlInvalid,

    /// <summary>No notification target has the id in <see cref="VaultException.Value"/>.</summary>
    NotificationTargetNotFound,
    /// <summary>No alert has the id in <see cref="VaultException.Value"/>.</summary>
    AlertNotFound,

    /// <summary>The alert <see cref="VaultException.Value"/> is already acknowledged: only resolving it is left.</summary>
    AlertAlreadyAcknowledged,

    /// <summary>The alert <see cref="VaultException.Value"/> is already resolved; a repeat of its anomaly opens a new one.</summary>
    AlertAlreadyResolved,

    /// <summary>A note on an alert is longer than the limit (<see cref="VaultException.Value"/> characters).</summary>
    AlertNoteTooLong,

    /// <summary>The number of alerts asked for is not 1 to the maximum (<see cref="VaultException.Value"/>).</summary>
    AlertLimitInvalid,

    /// <summary>
    /// A login (or a password check before TOTP enrolment) failed. Deliberately one code for every reason (unknown name,
    /// wrong password, wrong or replayed code, locked or throttled account, enrolment not finished): the audit log says which.
    /// </summary>
    LoginFailed,

    /// <summary>No operator is named <see cref="VaultException.Value"/>.</summary>
    OperatorNotFound,

    /// <summary>An operator named <see cref="VaultException.Value"/> already exists.</summary>
    OperatorExists,

    /// <summary>The operator or machine credential name <see cref="VaultException.Value"/> is not 1 to 63 lower-case letters, digits, '.', '_' or '-'.</summary>
    OperatorNameInvalid,

    /// <summary>The password is shorter than the minimum (<see cref="VaultException.Value"/> characters) or longer than the maximum.</summary>
    PasswordTooShort,

    /// <summary>The TOTP code is wrong, expired or was already used.</summary>
    TotpCodeInvalid,

    /// <summary>The invitation or setup code is unknown, used or expired.</summary>
    InvitationInvalid,

    /// <summary>The session token or machine credential is unknown, expired or revoked (or the session id is unknown).</summary>
    SessionInvalid,

    /// <summary>The action needs a TOTP code presented in this session within the last minutes (step-up).</summary>
    StepUpRequired,

    /// <summary>Removing or demoting the operator <see cref="VaultException.Value"/> would leave no admin.</summary>
    LastAdmin,

    /// <summary>A machine credential's expiry is not in the future and at most a year away (<see cref="VaultException.Value"/> days).</summary>
    MachineCredentialExpiryInvalid,

    /// <summary>The operator <see cref="VaultException.Value"/> has already confirmed a TOTP enrolment.</summary>
    TotpAlreadyEnrolled,

    /// <summary>The first admin's setup code is only issued while there is no operator; there is one.</summary>
    SetupAlreadyDone,

    /// <summary>A machine credential named <see cref="VaultException.Value"/> already exists.</summary>
    MachineCredentialExists,

    /// <summary>No machine credential is named <see cref="VaultException.Value"/>.</summary>
    MachineCredentialNotFound,
}
