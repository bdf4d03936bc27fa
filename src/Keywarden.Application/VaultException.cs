using Keywarden.Core.Policy;

namespace Keywarden.Application;

/// <summary>
/// A request to the vault that cannot be carried out: a typed <see cref="Code"/> with the <see cref="Value"/> and
/// <see cref="Detail"/> it concerns, and a message in plain words without any front end's option or command names, for
/// logs and API bodies. Front ends word the code themselves. Never carries a secret.
/// </summary>
public sealed class VaultException : Exception
{
    public VaultException(VaultErrorCode code, string? value = null, string? detail = null, Exception? innerException = null)
        : base(Describe(code, value, detail), innerException)
    {
        Code = code;
        Value = value;
        Detail = detail;
    }

    /// <summary>A token policy the vault refuses; front ends word <see cref="Problem"/> themselves.</summary>
    public VaultException(PolicyProblem problem)
        : this(VaultErrorCode.PolicyRefused, problem?.Value, problem?.Describe())
    {
        Problem = problem;
    }

    /// <summary>Why the request was refused.</summary>
    public VaultErrorCode Code { get; }

    /// <summary>The name, id or path the refusal is about, when there is one.</summary>
    public string? Value { get; }

    /// <summary>A second fact the words need: the cause's own message, the provider's answer, the other master key id, a file mode.</summary>
    public string? Detail { get; }

    /// <summary>What is wrong with a refused token policy, typed; null for other refusals.</summary>
    public PolicyProblem? Problem { get; }

    /// <summary>A refusal in plain words, naming no front end's options or commands.</summary>
    public static string Describe(VaultErrorCode code, string? value = null, string? detail = null) => code switch
    {
        VaultErrorCode.TokenNameInvalid => "a token needs a name of 1 to 100 characters saying what it is for",
        VaultErrorCode.UpstreamNotFound => $"no upstream named '{value}'",
        VaultErrorCode.NotATokenId => "not a token id: ids look like tok_7gq2m0x4k9c1",
        VaultErrorCode.TokenNotFound => $"no token with id '{value}'",
        VaultErrorCode.TokenNotOfThisVault => "no token of this vault matches the one given (it may belong to another Keywarden, or was never issued)",
        VaultErrorCode.TokenNotRotatable => detail ?? $"token '{value}' cannot be rotated",
        VaultErrorCode.TokenNotSuspendable => detail ?? $"token '{value}' cannot be suspended",
        VaultErrorCode.SuspensionReasonInvalid => $"a suspension needs a reason of 1 to {TokenService.MaxReasonLength} characters saying why",
        VaultErrorCode.PolicyRefused => detail ?? "the token policy is refused",
        VaultErrorCode.UpstreamNameInvalid =>
            $"invalid upstream name '{value}': use 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
        VaultErrorCode.MaxKeyAgeNotPositive => "the maximum key age must be positive",
        VaultErrorCode.KeyMalformed => detail ?? "not a key of this kind",
        VaultErrorCode.UpstreamExists => $"an upstream named '{value}' already exists",
        VaultErrorCode.KeyAlreadyStored => $"this key is already stored as upstream '{value}'",
        VaultErrorCode.KeyRefused => $"the upstream refused the key ({detail}): it is unknown or revoked; nothing was stored",
        VaultErrorCode.KeyNotVerified => $"could not verify the key: {detail}; nothing was stored",
        VaultErrorCode.NoCurrentKey => $"upstream '{value}' has no current key",
        VaultErrorCode.KeyDoesNotOpen => detail ?? $"key '{value}' does not open with the master key",
        VaultErrorCode.WrongMasterKey =>
            $"this store is encrypted with master key {value}, but the configured master key is {detail}: the wrong master key is configured",
        VaultErrorCode.MasterKeySame => "the new master key is the same as the current one",
        VaultErrorCode.RewrapFailed => $"{detail}; nothing was changed",
        VaultErrorCode.MasterKeyFileExists => $"a master key file already exists at {value}; refusing to overwrite it",
        VaultErrorCode.MasterKeyFileNotWritten => $"could not write the master key file {value}: {detail}",
        VaultErrorCode.MasterKeyFileMissing =>
            $"the master key file {value} does not exist. Restore it from your backup of the master key, or configure where it is. "
            + "A new key cannot open what the old one sealed, and initialising again will not replace the key of an existing vault",
        VaultErrorCode.MasterKeyFileTooOpen =>
            $"the master key file {value} is readable or writable by others (mode {detail}); it must be readable by its owner only (mode 600)",
        VaultErrorCode.MasterKeyFileUnreadable => $"could not read the master key file {value}: {detail}",
        VaultErrorCode.MasterKeyMalformed => $"{value}: {detail}",
        VaultErrorCode.SettingsUnreadable => $"cannot read {value}: {detail} (it names the master key file; fix or remove it)",
        VaultErrorCode.NoDataDirectory => $"no vault in {value}: it has not been initialised",
        VaultErrorCode.WebhookUrlInvalid => $"not a webhook URL: {detail ?? "it must be an absolute http:// or https:// URL"}",
        VaultErrorCode.NotificationTargetNotFound => $"no notification target with id '{value}'",
        VaultErrorCode.AlertNotFound => $"no alert with id '{value}'",
        VaultErrorCode.AlertAlreadyAcknowledged => $"alert '{value}' is already acknowledged; it can still be resolved",
        VaultErrorCode.AlertAlreadyResolved => $"alert '{value}' is already resolved (a repeat of its anomaly opens a new alert)",
        VaultErrorCode.AlertNoteTooLong => $"a note on an alert may be at most {value} characters",
        VaultErrorCode.AlertLimitInvalid => $"the number of alerts to list must be 1 to {value}",
        VaultErrorCode.LoginFailed => "login failed",
        VaultErrorCode.OperatorNotFound => $"no operator named '{value}'",
        VaultErrorCode.OperatorExists => $"an operator named '{value}' already exists",
        VaultErrorCode.OperatorNameInvalid =>
            $"invalid name '{value}': use 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
        VaultErrorCode.PasswordTooShort => $"a password needs {value} to {OperatorService.MaxPasswordLength} characters",
        VaultErrorCode.TotpCodeInvalid => "the code is wrong, expired or already used; wait for the next one",
        VaultErrorCode.InvitationInvalid => "the invitation code is unknown, already used or expired; ask an admin for a new one",
        VaultErrorCode.SessionInvalid => "not logged in: the session is unknown, expired or revoked",
        VaultErrorCode.StepUpRequired => "this action needs a fresh TOTP code: confirm with a code first",
        VaultErrorCode.LastAdmin => $"'{value}' is the last admin; make another operator admin first",
        VaultErrorCode.MachineCredentialExpiryInvalid => $"a machine credential needs an expiry in the future and at most {value} days away",
        VaultErrorCode.TotpAlreadyEnrolled => $"operator '{value}' has already enrolled an authenticator",
        VaultErrorCode.SetupAlreadyDone => "the setup code is only for the first admin, and there already is an operator",
        VaultErrorCode.MachineCredentialExists => $"a machine credential named '{value}' already exists",
        VaultErrorCode.MachineCredentialNotFound => $"no machine credential named '{value}'",
        _ => code.ToString(),
    };
}
