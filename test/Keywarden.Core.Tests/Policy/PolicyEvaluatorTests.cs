using System.Net;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    private static readonly DateTimeOffset Now = GatewayPipeline.Now;

    private static CanonicalRequest Marketing(string method, string path) =>
        RequestCanonicalizer.Canonicalize(method, "/3.0" + path, []).Request!;

    private static CanonicalRequest Transactional(string method) =>
        RequestCanonicalizer.Canonicalize("POST", $"/api/1.0/{method}.json", []).Request!;

    private static RequestFacts Facts(CanonicalRequest request, string client = "203.0.113.7", string? origin = null, SendFacts? send = null) =>
        new(request, [request.Operation], IPAddress.Parse(client), origin, Now, send);

    private static PolicyDecision Evaluate(TokenPolicy policy, RequestFacts facts) => PolicyEvaluator.Evaluate(policy, facts);

    private static void AssertDenied(DecisionRule rule, PolicyDecision decision)
    {
        Assert.False(decision.Allowed);
        Assert.Equal(rule, decision.Rule);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }

    private static void AssertAllowed(PolicyDecision decision)
    {
        Assert.True(decision.Allowed, decision.Reason);
        Assert.Equal(DecisionRule.Allowed, decision.Rule);
    }

    [Fact]
    public void Evaluate_ExpiryInstant_IsAlreadyExpired()
    {
        var policy = new TokenPolicy { ExpiresAt = Now };

        AssertDenied(DecisionRule.Expired, Evaluate(policy, Facts(Marketing("GET", "/lists"))));
        AssertAllowed(Evaluate(policy with { ExpiresAt = Now.AddTicks(1) }, Facts(Marketing("GET", "/lists"))));
    }

    [Fact]
    public void Evaluate_NotBeforeInstant_IsAlreadyValid()
    {
        AssertAllowed(Evaluate(new TokenPolicy { NotBefore = Now }, Facts(Marketing("GET", "/lists"))));
        AssertDenied(DecisionRule.NotYetValid, Evaluate(new TokenPolicy { NotBefore = Now.AddTicks(1) }, Facts(Marketing("GET", "/lists"))));
    }

    [Fact]
    public void Evaluate_FirstFailingRuleWins_InTheDocumentedOrder()
    {
        var everythingWrong = new TokenPolicy
        {
            ExpiresAt = Now.AddDays(-1),
            NotBefore = Now.AddDays(1),
            Cidrs = ["10.0.0.0/8"],
            ReadOnly = true,
            Paths = ["/lists/**"],
        };
        var facts = Facts(Marketing("DELETE", "/automations"), origin: "https://evil.example");

        AssertDenied(DecisionRule.Expired, Evaluate(everythingWrong, facts));
        AssertDenied(DecisionRule.NotYetValid, Evaluate(everythingWrong with { ExpiresAt = null }, facts));
        AssertDenied(DecisionRule.ClientAddress, Evaluate(everythingWrong with { ExpiresAt = null, NotBefore = null }, facts));
        AssertDenied(DecisionRule.Origin, Evaluate(everythingWrong with { ExpiresAt = null, NotBefore = null, Cidrs = [] }, facts));
        AssertDenied(DecisionRule.ReadOnly, Evaluate(everythingWrong with { ExpiresAt = null, NotBefore = null, Cidrs = [] }, facts with { Origin = null }));
        AssertDenied(DecisionRule.Path, Evaluate(everythingWrong with { ExpiresAt = null, NotBefore = null, Cidrs = [], ReadOnly = false }, facts with { Origin = null }));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("192.0.2.55", true)]
    [InlineData("192.0.2.56", false)]
    public void Evaluate_ClientAddress_MustBeInOneNetwork(string client, bool allowed)
    {
        var policy = new TokenPolicy { Cidrs = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.55"] };

        Assert.Equal(allowed, Evaluate(policy, Facts(Marketing("GET", "/lists"), client)).Allowed);
    }

    [Fact]
    public void Evaluate_MappedNetworkInPolicy_MatchesPlainIPv4Client() =>
        AssertAllowed(Evaluate(new TokenPolicy { Cidrs = ["::ffff:10.0.0.0/104"] }, Facts(Marketing("GET", "/lists"), "10.9.9.9")));

    [Fact]
    public void Evaluate_CorruptNetworkEntry_MatchesNothingRatherThanEverything() =>
        AssertDenied(DecisionRule.ClientAddress, Evaluate(new TokenPolicy { Cidrs = ["not-a-network"] }, Facts(Marketing("GET", "/lists"))));

    [Theory]
    [InlineData(null, true)]
    [InlineData("https://app.example.org", true)]
    [InlineData("https://APP.example.org", true)]
    [InlineData("https://app.example.org:443", true)]
    [InlineData("http://app.example.org", false)]
    [InlineData("https://app.example.org:8443", false)]
    [InlineData("https://evil.app.example.org", false)]
    [InlineData("https://app.example.org.evil.com", false)]
    [InlineData("https://app.example.org/path", false)]
    [InlineData("null", false)]
    [InlineData("http://localhost:3000", true)]
    public void Evaluate_Origin_MustBeAllowedExactly(string? origin, bool allowed)
    {
        var policy = new TokenPolicy { Origins = ["https://App.Example.org/", "http://localhost:3000"] };

        Assert.Equal(allowed, Evaluate(policy, Facts(Marketing("GET", "/lists"), origin: origin)).Allowed);
    }

    [Fact]
    public void Evaluate_AnyOrigin_IsRefusedWhenTheTokenAllowsNone() =>
        AssertDenied(DecisionRule.Origin, Evaluate(new TokenPolicy(), Facts(Marketing("GET", "/lists"), origin: "https://app.example.org")));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("PATCH", false)]
    [InlineData("DELETE", false)]
    public void Evaluate_ReadOnlyMarketing_AllowsOnlySafeMethods(string method, bool allowed) =>
        Assert.Equal(allowed, Evaluate(new TokenPolicy { ReadOnly = true }, Facts(Marketing(method, "/lists"))).Allowed);

    [Fact]
    public void Evaluate_ReadOnlyMarketing_JudgesTheOverriddenMethod()
    {
        var request = RequestCanonicalizer.Canonicalize("POST", "/3.0/lists/a", ["DELETE"]).Request!;

        AssertDenied(DecisionRule.ReadOnly, Evaluate(new TokenPolicy { ReadOnly = true }, Facts(request)));
    }

    [Fact]
    public void Evaluate_ReadOnlyBatchOfReads_IsAllowedAndOneWriteIsNot()
    {
        var batch = Marketing("POST", "/batches");
        var policy = new TokenPolicy { ReadOnly = true };

        AssertAllowed(Evaluate(policy, Facts(batch) with { Operations = [new("GET", "/lists"), new("GET", "/reports")] }));
        var denied = Evaluate(policy, Facts(batch) with { Operations = [new("GET", "/lists"), new("PATCH", "/lists/a")] });
        AssertDenied(DecisionRule.ReadOnly, denied);
        Assert.StartsWith("operation 1: ", denied.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BatchWithoutItsOperations_IsRefused()
    {
        var batch = Marketing("POST", "/batches");

        AssertDenied(DecisionRule.Path, Evaluate(new TokenPolicy(), Facts(batch)));
        AssertDenied(DecisionRule.Path, Evaluate(new TokenPolicy(), Facts(batch) with { Operations = [] }));
    }

    [Fact]
    public void Evaluate_NonBatchRequest_IsJudgedOnItsOwnOperationWhateverOperationsSays()
    {
        var request = Marketing("GET", "/automations");

        AssertDenied(DecisionRule.Path, Evaluate(new TokenPolicy { Paths = ["/lists/**"] }, Facts(request) with { Operations = [new("GET", "/lists")] }));
    }

    [Theory]
    [InlineData("users/ping", true)]
    [InlineData("templates/list", true)]
    [InlineData("messages/send", false)]
    [InlineData("templates/delete", false)]
    [InlineData("exports/activity", false)]
    public void Evaluate_ReadOnlyTransactional_UsesTheCuratedList(string method, bool allowed) =>
        Assert.Equal(allowed, Evaluate(new TokenPolicy { ReadOnly = true }, Facts(Transactional(method))).Allowed);

    [Theory]
    [InlineData("messages/send", true)]
    [InlineData("users/ping", true)]
    [InlineData("users/info", true)]
    [InlineData("messages/send-template", false)]
    [InlineData("templates/list", false)]
    public void Evaluate_TransactionalMethods_AreExactOrGroupWildcard(string method, bool allowed)
    {
        var policy = new TokenPolicy { Methods = ["messages/send", "users/*"] };

        var decision = Evaluate(policy, Facts(Transactional(method)));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? DecisionRule.Allowed : DecisionRule.Method, decision.Rule);
    }

    [Fact]
    public void Evaluate_PathReason_NamesThePathAndNoSecret()
    {
        var decision = Evaluate(new TokenPolicy { Paths = ["/lists/**"] }, Facts(Marketing("GET", "/automations")));

        Assert.Equal("path /automations is not in the token's allowed paths", decision.Reason);
    }

    [Fact]
    public void Evaluate_PinnedPolicy_RefusesTheOtherApi()
    {
        var marketing = CompiledPolicy.Compile(new TokenPolicy(), UpstreamKind.Marketing);
        var transactional = CompiledPolicy.Compile(new TokenPolicy(), UpstreamKind.Transactional);

        AssertDenied(DecisionRule.Api, marketing.Evaluate(Facts(Transactional("users/ping"))));
        AssertDenied(DecisionRule.Api, transactional.Evaluate(Facts(Marketing("GET", "/lists"))));
        AssertAllowed(marketing.Evaluate(Facts(Marketing("GET", "/lists"))));
        Assert.Equal(UpstreamKind.Marketing, marketing.Api);
    }

    [Fact]
    public void Evaluate_UnpinnedPolicy_RefusesTheApiItsLimitsDoNotDescribe()
    {
        AssertDenied(DecisionRule.Api, Evaluate(new TokenPolicy { Methods = ["users/ping"] }, Facts(Marketing("GET", "/lists"))));
        AssertDenied(DecisionRule.Api, Evaluate(new TokenPolicy { FromDomains = ["example.org"] }, Facts(Marketing("GET", "/lists"))));
        AssertDenied(DecisionRule.Api, Evaluate(new TokenPolicy { Paths = ["/**"] }, Facts(Transactional("users/ping"))));
    }

    private static readonly TokenPolicy SendLimits = new() { FromDomains = ["example.org", "Mail.Example.NET"], MaxRecipients = 2 };

    [Theory]
    [InlineData("a@example.org", true)]
    [InlineData("a@EXAMPLE.org", true)]
    [InlineData("a@mail.example.net", true)]
    [InlineData("a@sub.example.org", false)]
    [InlineData("a@example.org.evil.com", false)]
    [InlineData("a@example.org.", false)]
    [InlineData("a@evil.com", false)]
    [InlineData("example.org", false)]
    [InlineData("\"a@example.org\"@evil.com", false)]
    [InlineData("a@evil.com (a@example.org)", false)]
    [InlineData("Name <a@example.org>", true)]
    public void Evaluate_FromDomain_IsExactAndEveryMentionedDomainCounts(string from, bool allowed)
    {
        var decision = Evaluate(SendLimits, Facts(Transactional("messages/send"), send: new SendFacts([from], 1)));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? DecisionRule.Allowed : DecisionRule.FromDomain, decision.Rule);
    }

    [Fact]
    public void Evaluate_HeaderFromOutsideTheDomains_IsRefusedEvenWithAGoodFromEmail() =>
        AssertDenied(
            DecisionRule.FromDomain,
            Evaluate(SendLimits, Facts(Transactional("messages/send"), send: new SendFacts(["a@example.org", "CEO <ceo@bank.example>"], 1))));

    [Fact]
    public void Evaluate_NoStatedSender_IsRefusedUnderFromDomains()
    {
        var template = Evaluate(SendLimits, Facts(Transactional("messages/send-template"), send: new SendFacts([], 1)));
        var raw = Evaluate(SendLimits, Facts(Transactional("messages/send-raw"), send: new SendFacts([], 1)));

        AssertDenied(DecisionRule.FromDomain, template);
        AssertDenied(DecisionRule.FromDomain, raw);
        Assert.Contains("From header", raw.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Evaluate_Recipients_AreAtMostTheLimit(int recipients, bool allowed) =>
        Assert.Equal(allowed, Evaluate(SendLimits, Facts(Transactional("messages/send"), send: new SendFacts(["a@example.org"], recipients))).Allowed);

    [Fact]
    public void Evaluate_RecipientsFromRawHeaders_AreRefusedUnderARecipientLimit() =>
        AssertDenied(
            DecisionRule.MaxRecipients,
            Evaluate(new TokenPolicy { MaxRecipients = 5 }, Facts(Transactional("messages/send-raw"), send: new SendFacts(["a@example.org"], 0) { RecipientsStated = false })));

    [Fact]
    public void Evaluate_SendWithoutFacts_IsUnreadableOnlyWhenLimitsApply()
    {
        AssertDenied(DecisionRule.SendBodyUnreadable, Evaluate(SendLimits, Facts(Transactional("messages/send"))));
        AssertAllowed(Evaluate(new TokenPolicy(), Facts(Transactional("messages/send"))));
        AssertAllowed(Evaluate(SendLimits, Facts(Transactional("users/ping"))));
    }

    [Fact]
    public void RequiresSendFacts_OnlyForSendingMethodsUnderSendLimits()
    {
        var limited = CompiledPolicy.Compile(SendLimits, UpstreamKind.Transactional);
        var open = CompiledPolicy.Compile(new TokenPolicy { DailyQuota = 10 }, UpstreamKind.Transactional);

        Assert.True(limited.RequiresSendFacts(Transactional("messages/send")));
        Assert.True(limited.RequiresSendFacts(Transactional("messages/send-raw")));
        Assert.False(limited.RequiresSendFacts(Transactional("users/ping")));
        Assert.False(open.RequiresSendFacts(Transactional("messages/send")));
        Assert.False(limited.RequiresSendFacts(Marketing("POST", "/lists")));
    }

    [Fact]
    public void Compile_KeepsThePolicyForTheGatewayCounters()
    {
        var policy = new TokenPolicy { Rate = new RateLimit(10, TimeSpan.FromSeconds(1)), DailyQuota = 100 };

        Assert.Same(policy, PolicyEvaluator.Compile(policy).Policy);
        Assert.Null(PolicyEvaluator.Compile(policy).Api);
    }

    [Fact]
    public void Evaluate_CompiledAllowedRequest_AllocatesNothing()
    {
        var policy = CompiledPolicy.Compile(
            new TokenPolicy { Paths = ["/reports/**", "/lists/*/members/**"], Cidrs = ["10.0.0.0/8", "203.0.113.0/24"], ReadOnly = true, ExpiresAt = Now.AddDays(1) },
            UpstreamKind.Marketing);
        var facts = Facts(Marketing("GET", "/lists/abc/members/f00d/notes"));
        policy.Evaluate(facts);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decision = policy.Evaluate(facts);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertAllowed(decision);
        Assert.Equal(0, allocated);
    }
}
