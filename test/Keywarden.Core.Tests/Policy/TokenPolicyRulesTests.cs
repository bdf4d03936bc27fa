using Keywarden.Core.Keys;
using Keywarden.Core.Policy;

namespace Keywarden.Core.Tests.Policy;

/// <summary>The policy rules every front end shares: a typed problem with the offending value, no front end's option names.</summary>
public sealed class TokenPolicyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<TokenPolicy, UpstreamKind, PolicyProblemCode, string?> Refused => new()
    {
        { new TokenPolicy { Paths = ["/lists/**"] }, UpstreamKind.Transactional, PolicyProblemCode.PathsNotForThisApi, null },
        { new TokenPolicy { Methods = ["messages/send"] }, UpstreamKind.Marketing, PolicyProblemCode.MethodsNotForThisApi, null },
        { new TokenPolicy { DailyQuota = 10 }, UpstreamKind.Marketing, PolicyProblemCode.SendingLimitsNotForThisApi, null },
        { new TokenPolicy { Paths = ["/lists/../ping"] }, UpstreamKind.Marketing, PolicyProblemCode.InvalidPath, "/lists/../ping" },
        { new TokenPolicy { Paths = ["lists"] }, UpstreamKind.Marketing, PolicyProblemCode.InvalidPath, "lists" },
        { new TokenPolicy { Methods = ["Messages/Send"] }, UpstreamKind.Transactional, PolicyProblemCode.InvalidMethod, "Messages/Send" },
        { new TokenPolicy { Cidrs = ["10.0.0.0/33"] }, UpstreamKind.Marketing, PolicyProblemCode.InvalidCidr, "10.0.0.0/33" },
        { new TokenPolicy { Origins = ["https://app.example.org/path"] }, UpstreamKind.Marketing, PolicyProblemCode.InvalidOrigin, "https://app.example.org/path" },
        { new TokenPolicy { FromDomains = ["not a domain"] }, UpstreamKind.Transactional, PolicyProblemCode.InvalidFromDomain, "not a domain" },
        { new TokenPolicy { MaxRecipients = 0 }, UpstreamKind.Transactional, PolicyProblemCode.MaxRecipientsBelowOne, null },
        { new TokenPolicy { ExpiresAt = Now }, UpstreamKind.Marketing, PolicyProblemCode.ExpiresInThePast, null },
        { new TokenPolicy { ExpiresAt = Now.AddDays(1), NotBefore = Now.AddDays(2) }, UpstreamKind.Marketing, PolicyProblemCode.NotBeforeAfterExpiry, null },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AnIncoherentPolicy_IsOneTypedProblem_WithTheValueAtFault(TokenPolicy policy, UpstreamKind kind, PolicyProblemCode code, string? value)
    {
        var problem = TokenPolicyRules.Check(policy, kind, Now);

        Assert.NotNull(problem);
        Assert.Equal((code, value), (problem.Code, problem.Value));
        Assert.DoesNotContain("--", problem.Describe(), StringComparison.Ordinal); // no CLI option names below the front ends
    }

    [Fact]
    public void ACoherentPolicy_HasNoProblem()
    {
        var marketing = new TokenPolicy { Paths = ["/lists/*/members/**"], Cidrs = ["203.0.113.0/24"], Origins = ["https://app.example.org"], ExpiresAt = Now.AddDays(30) };
        var transactional = new TokenPolicy { Methods = ["messages/*"], FromDomains = ["example.org"], MaxRecipients = 5, DailyQuota = 100 };

        Assert.Null(TokenPolicyRules.Check(marketing, UpstreamKind.Marketing, Now));
        Assert.Null(TokenPolicyRules.Check(transactional, UpstreamKind.Transactional, Now));
    }
}
