using Keywarden.Application;

namespace Keywarden.Cli.Infrastructure;

/// <summary>A refusal of the vault in the CLI's words: the option, command or variable that changes the outcome.</summary>
internal static class VaultWords
{
    /// <summary>The one-line message for <paramref name="e"/>: a refused policy through <see cref="PolicyWords"/>, else by its code.</summary>
    public static string Say(VaultException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Problem is { } problem ? PolicyWords.Say(problem) : Say(e.Code, e.Value, e.Detail);
    }

    /// <summary>A store or vault failure's message, worded for the CLI when the vault refused.</summary>
    public static string MessageOf(Exception e) => e is VaultException vault ? Say(vault) : e.Message;

    /// <summary>The CLI's words for <paramref name="code"/>: the neutral message (<see cref="VaultException.Describe"/>) but where an option, command or variable helps.</summary>
    private static string Say(VaultErrorCode code, string? value, string? detail) => code switch
    {
        VaultErrorCode.TokenNameInvalid => "a token needs a --name of 1 to 100 characters saying what it is for",
        VaultErrorCode.UpstreamNotFound => $"no upstream named '{value}' (see 'keywarden upstream list')",
        VaultErrorCode.NotATokenId => "not a token id: ids look like tok_7gq2m0x4k9c1 (see 'keywarden token list')",
        VaultErrorCode.KeyNotVerified => $"could not verify the key: {detail}; nothing was stored (pass --no-verify to store it unverified)",
        VaultErrorCode.WrongMasterKey =>
            $"this store is encrypted with master key {value}, but the configured master key is {detail}: wrong {MasterKeySource.KeyVariable} or key file",
        VaultErrorCode.MasterKeyFileMissing =>
            $"the master key file {value} does not exist. Restore it from your backup of the master key, point --master-key-file or "
            + $"{MasterKeySource.FileVariable} at where it is, or set {MasterKeySource.KeyVariable} (its base64). A new key cannot open what the old one sealed, "
            + "and 'keywarden init' will not replace the key of an existing vault",
        VaultErrorCode.MasterKeyFileTooOpen => $"the master key file {value} is readable or writable by others (mode {detail}); run: chmod 600 {value}",
        VaultErrorCode.NoDataDirectory =>
            $"no Keywarden data in {value}: run 'keywarden init' first (or pass --data / set {DataDirectory.EnvironmentVariable})",
        VaultErrorCode.NotificationTargetNotFound => $"no webhook with id '{value}' (see 'keywarden notify list')",
        VaultErrorCode.AlertNotFound => $"no alert with id '{value}' (see 'keywarden alerts list --state all')",
        VaultErrorCode.AlertAlreadyAcknowledged => $"alert '{value}' is already acknowledged; when done: keywarden alerts resolve {value}",
        VaultErrorCode.AlertLimitInvalid => $"--limit must be 1 to {value}",
        VaultErrorCode.LoginFailed => "login failed (name, password or code); try again: keywarden login",
        VaultErrorCode.OperatorNotFound => $"no operator named '{value}' (see 'keywarden operator list')",
        VaultErrorCode.SessionInvalid => "not logged in, or the session expired: keywarden login",
        VaultErrorCode.LastAdmin => $"'{value}' is the last admin; first make another operator admin: keywarden operator role NAME admin",
        VaultErrorCode.MachineCredentialExpiryInvalid => $"--expires must be in the future and at most {value} days away",
        VaultErrorCode.MachineCredentialNotFound => $"no machine credential named '{value}' (see 'keywarden operator credential list')",
        _ => VaultException.Describe(code, value, detail),
    };
}
