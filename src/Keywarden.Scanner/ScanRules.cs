using Keywarden.Core.Providers;
using Keywarden.Scanner.Detection;

namespace Keywarden.Scanner;

/// <summary>
/// The rules of a scan: Keywarden's own gateway tokens, and the secret patterns of each upstream API
/// (<see cref="IUpstreamApi.SecretPatterns"/>; Mailchimp's are <c>mailchimp-marketing-key</c> and
/// <c>mailchimp-transactional-key</c>).
/// </summary>
public static class ScanRules
{
    public const string KeywardenToken = "keywarden-token";

    /// <summary>Every rule a scan with <paramref name="apis"/> can report, in a stable order: the APIs' in catalog order, then Keywarden's.</summary>
    public static IReadOnlyList<ScanRule> Of(UpstreamApiCatalog apis) => SecretRules.For(apis).Rules;
}
