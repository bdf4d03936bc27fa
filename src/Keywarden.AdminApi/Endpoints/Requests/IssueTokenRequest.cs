using Keywarden.Core.Policy;

namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/tokens</c>: the options of <c>token issue</c>.</summary>
/// <param name="Upstream">The upstream whose key the token stands for.</param>
/// <param name="Name">What the token is for.</param>
/// <param name="ReadOnly">Only reading calls.</param>
/// <param name="Paths">Marketing: allowed path globs (none: all, which needs step-up).</param>
/// <param name="Methods">Transactional: allowed methods (none: all, which needs step-up).</param>
/// <param name="Cidrs">Allowed client networks (none: any).</param>
/// <param name="Origins">Allowed browser origins (none: browser requests refused).</param>
/// <param name="ExpiresAt">When it expires (default: 90 days from now).</param>
/// <param name="NoExpiry">Never expires (needs step-up).</param>
/// <param name="NotBefore">Refused before this time.</param>
/// <param name="Rate">Request budget, e.g. <c>600/min</c>.</param>
/// <param name="FromDomains">Transactional: allowed sender domains.</param>
/// <param name="MaxRecipients">Transactional: recipients per message.</param>
/// <param name="DailyQuota">Transactional: messages per UTC day.</param>
/// <param name="OnAnomaly">alert or suspend (default: the server's).</param>
public sealed record IssueTokenRequest(
    string Upstream,
    string Name,
    bool ReadOnly = false,
    IReadOnlyList<string>? Paths = null,
    IReadOnlyList<string>? Methods = null,
    IReadOnlyList<string>? Cidrs = null,
    IReadOnlyList<string>? Origins = null,
    DateTimeOffset? ExpiresAt = null,
    bool NoExpiry = false,
    DateTimeOffset? NotBefore = null,
    RateLimit? Rate = null,
    IReadOnlyList<string>? FromDomains = null,
    int? MaxRecipients = null,
    int? DailyQuota = null,
    string? OnAnomaly = null)
{
    /// <summary>The request for a token with <paramref name="policy"/>, as the CLI's options describe one.</summary>
    public static IssueTokenRequest For(string upstream, string name, TokenPolicy policy, string? onAnomaly, bool noExpiry = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new IssueTokenRequest(
            upstream, name, policy.ReadOnly, policy.Paths, policy.Methods, policy.Cidrs, policy.Origins, policy.ExpiresAt, noExpiry, policy.NotBefore,
            policy.Rate, policy.FromDomains, policy.MaxRecipients, policy.DailyQuota, onAnomaly);
    }
}
