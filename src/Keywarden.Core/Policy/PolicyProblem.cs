namespace Keywarden.Core.Policy;

/// <summary>The first problem found in a token policy, and the offending value when there is one (never a secret).</summary>
/// <param name="Code">What is wrong.</param>
/// <param name="Value">The glob, method, network, origin or domain at fault, or null.</param>
public sealed record PolicyProblem(PolicyProblemCode Code, string? Value = null)
{
    /// <summary>The problem in plain words without any front end's option names, for logs and API bodies.</summary>
    public string Describe() => Code switch
    {
        PolicyProblemCode.PathsNotForThisApi => "paths apply to Marketing upstreams; a Transactional token is limited by method (e.g. messages/send)",
        PolicyProblemCode.MethodsNotForThisApi => "methods apply to Transactional upstreams; a Marketing token is limited by path (e.g. /lists/**)",
        PolicyProblemCode.SendingLimitsNotForThisApi => "sender domains, recipients per message and a daily quota apply to Transactional upstreams",
        PolicyProblemCode.InvalidPath => $"invalid path '{Value}': a glob on the canonical path after /3.0, starting with '/', e.g. /lists/*/members/**",
        PolicyProblemCode.InvalidMethod => $"invalid method '{Value}': group/method in lower case, e.g. messages/send or messages/*",
        PolicyProblemCode.InvalidCidr => $"invalid client network '{Value}': expected a network such as 203.0.113.0/24 or 2001:db8::/32",
        PolicyProblemCode.InvalidOrigin => $"invalid origin '{Value}': expected scheme://host[:port], e.g. https://app.example.org",
        PolicyProblemCode.InvalidFromDomain => $"invalid sender domain '{Value}': expected a domain name such as example.org",
        PolicyProblemCode.MaxRecipientsBelowOne => "recipients per message must be at least 1",
        PolicyProblemCode.DailyQuotaBelowOne => "the daily quota must be at least 1",
        PolicyProblemCode.ExpiresInThePast => "the expiry is in the past: the token would never work",
        PolicyProblemCode.NotBeforeAfterExpiry => "the token would start working only after it expires",
        _ => Code.ToString(),
    };
}
