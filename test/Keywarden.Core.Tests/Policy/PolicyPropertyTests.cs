using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Tests.Policy;

public sealed class PolicyPropertyTests
{
    private static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<CanonicalRequest> Request = Gen.OneOf(
        Gen.Elements("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            .Zip(Gen.ListOf(Gen.Elements("lists", "a", "Members", "%C3%A9", "reports", "batches", "x%20y")), (method, segments) =>
                RequestCanonicalizer.Canonicalize(method, "/3.0/" + string.Join('/', segments), []).Request!),
        Gen.Elements("messages/send", "messages/send-raw", "users/ping", "templates/delete", "whatever/new-thing")
            .Select(method => RequestCanonicalizer.Canonicalize("POST", $"/api/1.3/{method}", []).Request!));

    private static readonly Gen<IPAddress> Client = Gen.OneOf(
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 4).Select(b => new IPAddress(b)),
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 16).Select(b => new IPAddress(b)));

    private static readonly Gen<string?> Origin = Gen.Elements<string?>(null, "https://app.example.org", "null");

    private static readonly Gen<TimeSpan> Offset = Gen.Choose(-100_000, 100_000).Select(s => TimeSpan.FromSeconds(s));

    [Property(MaxTest = 1000)]
    public Property Evaluate_EmptyPolicy_AllowsEveryRequestWithoutOriginWithinItsValidity() =>
        Prop.ForAll(Arb.From(Request), Arb.From(Client), Arb.From(Offset), (request, client, offset) =>
        {
            var now = Epoch + offset;
            var policy = new TokenPolicy { NotBefore = Epoch.AddDays(-2), ExpiresAt = Epoch.AddDays(2) };
            var operations = request.IsBatch ? [new CanonicalOperation("GET", "/lists")] : new[] { request.Operation };
            return PolicyEvaluator.Evaluate(policy, new RequestFacts(request, operations, client, null, now, null)).Allowed;
        });

    [Property(MaxTest = 1000)]
    public Property Evaluate_ExpiredPolicy_DeniesEverything() =>
        Prop.ForAll(
            Arb.From(Request.Zip(Client)),
            Arb.From(Origin.Zip(Gen.Choose(0, 1_000_000))),
            Arb.From(ArbMap.Default.GeneratorFor<bool>().Three()),
            (requestAndClient, originAndDelay, flags) =>
            {
                var (request, client) = requestAndClient;
                var (origin, pastExpiry) = originAndDelay;
                var expires = Epoch;
                var policy = new TokenPolicy
                {
                    ExpiresAt = expires,
                    ReadOnly = flags.Item1,
                    Paths = flags.Item2 ? ["/**"] : [],
                    Cidrs = flags.Item3 ? ["0.0.0.0/0", "::/0"] : [],
                    Origins = ["https://app.example.org"],
                };
                var facts = new RequestFacts(request, [request.Operation], client, origin, expires.AddSeconds(pastExpiry), null);
                var decision = CompiledPolicy.Compile(policy, request.Api).Evaluate(facts);
                return !decision.Allowed && decision.Rule == DecisionRule.Expired;
            });

    [Property(MaxTest = 500)]
    public Property Evaluate_NeverAllowsTheOtherApiWhenPinned() =>
        Prop.ForAll(Arb.From(Request), request =>
        {
            var other = request.Api == UpstreamKind.Marketing ? UpstreamKind.Transactional : UpstreamKind.Marketing;
            var facts = new RequestFacts(request, [request.Operation], IPAddress.Loopback, null, Epoch, null);
            return CompiledPolicy.Compile(new TokenPolicy(), other).Evaluate(facts).Rule == DecisionRule.Api;
        });
}
