using Keywarden.Core.Policy;

namespace Keywarden.Monitoring.Detectors;

/// <summary>How the detectors read a request's rule (<see cref="RuleNames"/>). A rule not named here counts by its decision.</summary>
internal static class RuleKinds
{
    /// <summary>A request with a decoy token (the rule the gateway records it under).</summary>
    public const string Decoy = "decoy";

    /// <summary>The sender rules a refused send is recorded under.</summary>
    public static bool IsSendRefusal(string rule) => rule is "from-domain" or "max-recipients" or RuleNames.DailyQuota;

    /// <summary>
    /// Refusals that say the app is busy or went away, not that someone is trying what the token may not do: the rate
    /// limit, the daily quota (the sending detector's), a busy key, an aborted client, a slow body, audit unavailable, an
    /// internal failure. Not counted by the denial-burst detector.
    /// </summary>
    public static bool IsOperational(string rule) => rule is RuleNames.Rate or RuleNames.DailyQuota or RuleNames.KeyBusy
        or RuleNames.ClientAborted or RuleNames.BodyTimeout or RuleNames.Audit or RuleNames.Internal or RuleNames.None or RuleNames.Preflight
        || rule.StartsWith(RuleNames.UpstreamPrefix, StringComparison.Ordinal);

    /// <summary>
    /// A refusal of a request without a valid token that says someone presented a credential: none or two, an unknown,
    /// revoked or rotated token, a token where it leaks; and any rule this list does not know (an address blocked after a
    /// decoy, say). Requests that are no API call at all (<c>not-api</c>, <c>canonical</c>, <c>method</c>, bodies, origins)
    /// are the internet's background noise and are not counted.
    /// </summary>
    public static bool IsCredentialRefusal(string rule) => rule switch
    {
        RuleNames.Credential or RuleNames.TokenInUrl or RuleNames.TokenLeak => true,
        RuleNames.NotApi or RuleNames.Canonical or RuleNames.HttpMethod or RuleNames.BodySize or RuleNames.BodyEncoding
            or RuleNames.BodyMalformed or RuleNames.Body or RuleNames.PreflightOrigin or RuleNames.Allow => false,
        _ => rule.StartsWith("token-", StringComparison.Ordinal) || !IsOperational(rule),
    };
}
