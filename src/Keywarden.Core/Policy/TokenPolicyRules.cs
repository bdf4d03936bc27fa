using System.Net;
using System.Text.RegularExpressions;
using Keywarden.Core.Keys;

namespace Keywarden.Core.Policy;

/// <summary>Whether a token policy is coherent and fits its upstream's API: the rules every front end and store share.</summary>
public static partial class TokenPolicyRules
{
    /// <summary>The first problem with <paramref name="policy"/> for an upstream of <paramref name="kind"/> at <paramref name="now"/>, or null.</summary>
    public static PolicyProblem? Check(TokenPolicy policy, UpstreamKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (kind == UpstreamKind.Transactional && policy.Paths.Count > 0)
        {
            return new PolicyProblem(PolicyProblemCode.PathsNotForThisApi);
        }

        if (kind == UpstreamKind.Marketing && policy.Methods.Count > 0)
        {
            return new PolicyProblem(PolicyProblemCode.MethodsNotForThisApi);
        }

        if (kind == UpstreamKind.Marketing && (policy.FromDomains.Count > 0 || policy.MaxRecipients is not null || policy.DailyQuota is not null))
        {
            return new PolicyProblem(PolicyProblemCode.SendingLimitsNotForThisApi);
        }

        return First(policy.Paths, path => !PathGlob().IsMatch(path) || path.Contains("..", StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal), PolicyProblemCode.InvalidPath)
            ?? First(policy.Methods, method => !MethodName().IsMatch(method), PolicyProblemCode.InvalidMethod)
            ?? First(policy.Cidrs, cidr => !IPNetwork.TryParse(cidr, out _), PolicyProblemCode.InvalidCidr)
            ?? First(policy.Origins, origin => !IsOrigin(origin), PolicyProblemCode.InvalidOrigin)
            ?? First(policy.FromDomains, domain => Uri.CheckHostName(domain) != UriHostNameType.Dns, PolicyProblemCode.InvalidFromDomain)
            ?? Limits(policy, now);
    }

    private static PolicyProblem? Limits(TokenPolicy policy, DateTimeOffset now)
    {
        if (policy.MaxRecipients is <= 0)
        {
            return new PolicyProblem(PolicyProblemCode.MaxRecipientsBelowOne);
        }

        if (policy.DailyQuota is <= 0)
        {
            return new PolicyProblem(PolicyProblemCode.DailyQuotaBelowOne);
        }

        if (policy.ExpiresAt is { } expires && expires <= now)
        {
            return new PolicyProblem(PolicyProblemCode.ExpiresInThePast);
        }

        return policy is { ExpiresAt: { } end, NotBefore: { } start } && start >= end
            ? new PolicyProblem(PolicyProblemCode.NotBeforeAfterExpiry)
            : null;
    }

    private static PolicyProblem? First(IReadOnlyList<string> values, Func<string, bool> invalid, PolicyProblemCode code) =>
        values.FirstOrDefault(invalid) is { } bad ? new PolicyProblem(code, bad) : null;

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.PathAndQuery == "/";

    [GeneratedRegex(@"^/([A-Za-z0-9_.\-*{}]+(/[A-Za-z0-9_.\-*{}]+)*)?/?$")]
    private static partial Regex PathGlob();

    [GeneratedRegex(@"^[a-z0-9_\-]+/([a-z0-9_\-]+|\*)$")]
    private static partial Regex MethodName();
}
