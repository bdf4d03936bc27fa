using System.Diagnostics.CodeAnalysis;
using Keywarden.Core.Keys;
using Keywarden.Core.Tokens;

namespace Keywarden.Core.Operators;

/// <summary>
/// A secret issued to an operator or a machine: a session token (<c>kws_</c>), a machine credential (<c>kwm_</c>) or an
/// invitation/setup code (<c>kwi_</c>), each a <see cref="PrefixedSecret"/> (prefix + 30 random base62 characters +
/// 6 checksum characters). Shown once when issued and stored only as its SHA-256. Its <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class OperatorSecret
{
    /// <summary>The prefix of a session token.</summary>
    public const string SessionPrefix = "kws_";

    /// <summary>The prefix of a machine credential.</summary>
    public const string MachinePrefix = "kwm_";

    /// <summary>The prefix of an invitation or setup code.</summary>
    public const string InvitationPrefix = "kwi_";

    /// <summary>Total length of every operator secret (prefix of 4 + 30 + 6).</summary>
    public const int Length = 4 + PrefixedSecret.RandomLength + PrefixedSecret.ChecksumLength;

    private static readonly PrefixedSecret Session = new(SessionPrefix);
    private static readonly PrefixedSecret Machine = new(MachinePrefix);
    private static readonly PrefixedSecret Invitation = new(InvitationPrefix);

    private OperatorSecret(OperatorSecretKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>What the secret is for.</summary>
    public OperatorSecretKind Kind { get; }

    /// <summary>The secret itself. Shown once at issue, never stored.</summary>
    public string Value { get; }

    /// <summary>Generates a new secret of <paramref name="kind"/> from the operating system's CSPRNG.</summary>
    public static OperatorSecret Generate(OperatorSecretKind kind) => new(kind, FormatOf(kind).Generate());

    /// <summary>Parses a secret of <paramref name="kind"/> and checks its checksum; a secret of another kind is refused.</summary>
    public static bool TryParse(OperatorSecretKind kind, ReadOnlySpan<char> text, [NotNullWhen(true)] out OperatorSecret? secret)
    {
        secret = IsValid(kind, text) ? new OperatorSecret(kind, text.ToString()) : null;
        return secret is not null;
    }

    /// <summary>True when the text is exactly a secret of <paramref name="kind"/> with a valid checksum. No allocation.</summary>
    public static bool IsValid(OperatorSecretKind kind, ReadOnlySpan<char> text) => FormatOf(kind).IsValid(text);

    /// <summary>The prefix of <paramref name="kind"/>.</summary>
    public static string PrefixOf(OperatorSecretKind kind) => FormatOf(kind).Prefix;

    /// <summary>SHA-256 of the secret: the only form in which it is stored.</summary>
    public byte[] ComputeHash() => PrefixedSecret.ComputeHash(Value);

    /// <summary>Compares this secret with a stored hash in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> storedHash) => PrefixedSecret.Matches(Value, storedHash);

    /// <summary>The redacted form: <c>kws_…(40)</c>.</summary>
    public override string ToString() => KeyDisplay.Redact(Value);

    private static PrefixedSecret FormatOf(OperatorSecretKind kind) => kind switch
    {
        OperatorSecretKind.Session => Session,
        OperatorSecretKind.Machine => Machine,
        OperatorSecretKind.Invitation => Invitation,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown operator secret kind"),
    };
}
