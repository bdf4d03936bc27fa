using Keywarden.Core.Policy;

namespace Keywarden.Cli.Infrastructure;

/// <summary>A refused token policy in the CLI's words: the option to change and an example of what it takes.</summary>
internal static class PolicyWords
{
    public static string Say(PolicyProblem problem) => problem.Code switch
    {
        PolicyProblemCode.PathsNotForThisApi => "--path applies to Marketing upstreams; use --method for Transactional (e.g. --method messages/send)",
        PolicyProblemCode.MethodsNotForThisApi => "--method applies to Transactional upstreams; use --path for Marketing (e.g. --path '/lists/**')",
        PolicyProblemCode.SendingLimitsNotForThisApi => "--from-domain, --max-recipients and --daily-quota apply to Transactional upstreams",
        PolicyProblemCode.InvalidPath => $"invalid --path '{problem.Value}': a glob on the canonical path after /3.0, starting with '/', e.g. /lists/*/members/**",
        PolicyProblemCode.InvalidMethod => $"invalid --method '{problem.Value}': group/method in lower case, e.g. messages/send or messages/*",
        PolicyProblemCode.InvalidCidr => $"invalid --cidr '{problem.Value}': expected a network such as 203.0.113.0/24 or 2001:db8::/32",
        PolicyProblemCode.InvalidOrigin => $"invalid --origin '{problem.Value}': expected scheme://host[:port], e.g. https://app.example.org",
        PolicyProblemCode.InvalidFromDomain => $"invalid --from-domain '{problem.Value}': expected a domain name such as example.org",
        PolicyProblemCode.MaxRecipientsBelowOne => "--max-recipients must be at least 1",
        PolicyProblemCode.DailyQuotaBelowOne => "--daily-quota must be at least 1",
        PolicyProblemCode.ExpiresInThePast => "--expires is in the past: the token would never work",
        PolicyProblemCode.NotBeforeAfterExpiry => "--not-before must be earlier than --expires",
        _ => problem.Describe(),
    };
}
