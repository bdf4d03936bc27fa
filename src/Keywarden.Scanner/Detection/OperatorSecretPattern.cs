using Keywarden.Core.Operators;
using Keywarden.Core.Providers;
using Keywarden.Core.Tokens;

namespace Keywarden.Scanner.Detection;

/// <summary>
/// A secret of Keywarden's admin API: a session token (<c>kws_</c>), a machine credential (<c>kwm_</c>) or an invitation
/// code (<c>kwi_</c>), each its prefix + 36 base62 with a valid checksum. Leaked, it opens the admin API as its owner.
/// </summary>
internal sealed class OperatorSecretPattern(OperatorSecretKind kind, string ruleId, string description)
    : AnchoredSecretPattern(ruleId, description, OperatorSecret.PrefixOf(kind), OperatorSecret.Length)
{
    /// <summary>The three kinds, with their rules.</summary>
    public static IEnumerable<OperatorSecretPattern> All =>
    [
        new(OperatorSecretKind.Session, ScanRules.KeywardenSession, "Keywarden admin session token"),
        new(OperatorSecretKind.Machine, ScanRules.KeywardenMachineCredential, "Keywarden machine credential"),
        new(OperatorSecretKind.Invitation, ScanRules.KeywardenInvitation, "Keywarden operator invitation or setup code"),
    ];

    public override bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length)
    {
        (start, length) = (anchorAt, OperatorSecret.Length);
        return anchorAt + OperatorSecret.Length <= text.Length && OperatorSecret.IsValid(kind, text.Slice(anchorAt, OperatorSecret.Length));
    }

    public override Range Body(int length) => Anchor.Length..(Anchor.Length + PrefixedSecret.RandomLength);
}
