using Keywarden.Core.Providers;
using Keywarden.Scanner.Detection;

namespace Keywarden.Scanner;

/// <summary>
/// The rules of a scan: Keywarden's own gateway tokens and admin secrets (sessions, machine credentials, invitations), and the secret patterns of each upstream API
/// (<see cref="IUpstreamApi.SecretPatterns"/>; Mailchimp's are <c>mailchimp-marketing-key</c> and
/// <c>mailchimp-transactional-key</c>).
/// </summary>
public static class ScanRules
{
    public const string KeywardenToken = "keywarden-token";

    /// <summary>A session token of Keywarden's admin API (<c>kws_…</c>).</summary>
    public const string KeywardenSession = "keywarden-session";

    /// <summary>A machine credential of Keywarden's admin API (<c>kwm_…</c>).</summary>
    public const string KeywardenMachineCredential = "keywarden-machine-credential";

    /// <summary>An operator invitation or setup code (<c>kwi_…</c>).</summary>
    public const string KeywardenInvitation = "keywarden-invitation";

    /// <summary>Whether findings of <paramref name="ruleId"/> are Keywarden's own admin secrets (never an upstream's key).</summary>
    public static bool IsOperatorSecret(string ruleId) =>
        ruleId is KeywardenSession or KeywardenMachineCredential or KeywardenInvitation;

    /// <summary>Every rule a scan with <paramref name="apis"/> can report, in a stable order: the APIs' in catalog order, then Keywarden's.</summary>
    public static IReadOnlyList<ScanRule> Of(UpstreamApiCatalog apis) => SecretRules.For(apis).Rules;
}
