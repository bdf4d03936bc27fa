using Keywarden.Core.Policy;
using Keywarden.Core.Requests;
using static Keywarden.Core.Requests.CanonicalizationError;

namespace Keywarden.Core.Tests.Policy;

/// <summary>
/// Every known bypass class against a token allowed only <c>/lists/**</c>: what the canonicaliser makes of the request
/// and what the policy then decides. Judged path and forwarded path must always be the same thing.
/// </summary>
public sealed class AttackTableTests
{
    /// <param name="Name">What the row tries.</param>
    /// <param name="Method">The HTTP method as received.</param>
    /// <param name="Target">The raw request-target.</param>
    /// <param name="Overrides">Method override header values.</param>
    /// <param name="Body">The batch body, for POST /3.0/batches.</param>
    /// <param name="Error">The expected canonicalisation error, or None.</param>
    /// <param name="Judged">When canonicalised: "METHOD /path" of the (first offending, or only) operation.</param>
    /// <param name="Forward">When canonicalised: the expected forward path.</param>
    /// <param name="Rule">When canonicalised: the expected decision.</param>
    public sealed record Attack(
        string Name,
        string Method,
        string Target,
        string[] Overrides,
        string? Body,
        CanonicalizationError Error,
        string? Judged = null,
        string? Forward = null,
        DecisionRule? Rule = null)
    {
        public override string ToString() => Name;
    }

    private static Attack Refused(string name, string method, string target, CanonicalizationError error, string[]? overrides = null) =>
        new(name, method, target, overrides ?? [], null, error);

    private static Attack Judged(string name, string method, string target, string judged, string forward, DecisionRule rule, string[]? overrides = null) =>
        new(name, method, target, overrides ?? [], null, None, judged, forward, rule);

    private static Attack Batch(string name, string body, CanonicalizationError error, string? judged = null, DecisionRule? rule = null) =>
        new(name, "POST", "/3.0/batches", [], body, error, judged, "/3.0/batches", rule);

    private static string Ops(params string[] operations) =>
        "{\"operations\":[" + string.Join(',', operations.Select(o =>
        {
            var space = o.IndexOf(' ', StringComparison.Ordinal);
            return $"{{\"method\":\"{o[..space]}\",\"path\":\"{o[(space + 1)..].Replace("\\", "\\\\", StringComparison.Ordinal)}\"}}";
        })) + "]}";

    public static TheoryData<Attack> Attacks { get; } =
    [
        // Baselines.
        Judged("plain allowed path", "GET", "/3.0/lists/abc/members", "GET /lists/abc/members", "/3.0/lists/abc/members", DecisionRule.Allowed),
        Judged("plain forbidden path", "GET", "/3.0/automations", "GET /automations", "/3.0/automations", DecisionRule.Path),
        Judged("the account root", "GET", "/3.0/", "GET /", "/3.0/", DecisionRule.Path),

        // Dot segments, raw and encoded.
        Judged("dot-dot out of lists", "GET", "/3.0/lists/../automations", "GET /automations", "/3.0/automations", DecisionRule.Path),
        Judged("encoded dot-dot %2e%2e", "GET", "/3.0/lists/%2e%2e/automations", "GET /automations", "/3.0/automations", DecisionRule.Path),
        Judged("upper-case encoded dot-dot %2E%2E", "GET", "/3.0/lists/%2E%2E/automations", "GET /automations", "/3.0/automations", DecisionRule.Path),
        Judged("half-encoded dot-dot .%2e", "GET", "/3.0/lists/.%2e/automations", "GET /automations", "/3.0/automations", DecisionRule.Path),
        Judged("single dot segments", "DELETE", "/3.0/./automations/./x", "DELETE /automations/x", "/3.0/automations/x", DecisionRule.Path),
        Judged("dot-dot that stays inside lists", "GET", "/3.0/lists/a/../b", "GET /lists/b", "/3.0/lists/b", DecisionRule.Allowed),
        Refused("dot-dot above /3.0", "GET", "/3.0/../3.0/automations", DotSegmentEscapesRoot),
        Refused("dot-dot twice above /3.0", "GET", "/3.0/lists/../../automations", DotSegmentEscapesRoot),
        Refused("encoded dot-dot above /3.0", "GET", "/3.0/%2e%2e/3.0/automations", DotSegmentEscapesRoot),
        Refused("lists then dot-dot to a sibling API root", "GET", "/3.0/lists/../../../admin", DotSegmentEscapesRoot),

        // Encoded separators and double encoding.
        Refused("encoded slash %2F", "GET", "/3.0/lists%2F..%2Fautomations", EncodedSeparator),
        Refused("lower-case encoded slash %2f", "GET", "/3.0/lists/x%2f..%2f..%2fautomations", EncodedSeparator),
        Refused("encoded backslash %5C", "GET", "/3.0/lists%5C..%5Cautomations", EncodedSeparator),
        Refused("double-encoded slash %252F", "GET", "/3.0/lists%252F..%252Fautomations", DoubleEncoding),
        Refused("double-encoded dot-dot %252e%252e", "GET", "/3.0/lists/%252e%252e/automations", DoubleEncoding),
        Refused("double-encoded backslash %255C", "GET", "/3.0/lists/%255C", DoubleEncoding),
        Judged("a literal percent sign stays literal", "GET", "/3.0/lists/100%25", "GET /lists/100%", "/3.0/lists/100%25", DecisionRule.Allowed),

        // Empty segments and trailing slashes.
        Refused("double slash after the version", "GET", "/3.0//automations", EmptySegment),
        Refused("double slash inside lists", "GET", "/3.0/lists//x", EmptySegment),
        Refused("two trailing slashes", "GET", "/3.0/lists//", EmptySegment),
        Judged("trailing slash on an allowed path", "GET", "/3.0/lists/", "GET /lists", "/3.0/lists", DecisionRule.Allowed),
        Judged("trailing slash on a forbidden path", "GET", "/3.0/automations/", "GET /automations", "/3.0/automations", DecisionRule.Path),

        // Backslashes.
        Refused("raw backslash", "GET", "/3.0/lists\\..\\automations", Backslash),
        Refused("raw backslash at the end", "GET", "/3.0/lists\\", Backslash),

        // Matrix parameters.
        Refused("semicolon before dot-dot", "GET", "/3.0/lists;/../automations", MatrixParameter),
        Refused("jsessionid style parameter", "GET", "/3.0/lists;jsessionid=x/abc", MatrixParameter),
        Refused("encoded semicolon %3B", "GET", "/3.0/lists%3B/abc", MatrixParameter),

        // Case variants: forwarding keeps the case (ids can be case-sensitive), so matching is case-sensitive too.
        Judged("upper-case variant of an allowed path", "GET", "/3.0/LISTS/abc", "GET /LISTS/abc", "/3.0/LISTS/abc", DecisionRule.Path),
        Judged("encoded upper-case letter", "GET", "/3.0/%4Cists/abc", "GET /Lists/abc", "/3.0/Lists/abc", DecisionRule.Path),
        Judged("upper-case id under an allowed path", "GET", "/3.0/lists/ABC", "GET /lists/ABC", "/3.0/lists/ABC", DecisionRule.Allowed),
        Judged("mixed-case forbidden path", "GET", "/3.0/Automations", "GET /Automations", "/3.0/Automations", DecisionRule.Path),

        // Segments some servers strip the end of.
        Refused("trailing dot on a resource name", "GET", "/3.0/lists./abc", TrailingDotOrSpace),
        Refused("trailing dot on an id", "GET", "/3.0/lists/abc.", TrailingDotOrSpace),
        Refused("encoded trailing dot", "GET", "/3.0/lists/abc%2E/members", TrailingDotOrSpace),
        Refused("three dots", "GET", "/3.0/lists/abc/.../automations", TrailingDotOrSpace),
        Refused("trailing space", "GET", "/3.0/lists/abc%20", TrailingDotOrSpace),
        Judged("a dot inside a segment", "GET", "/3.0/lists/a.b/members", "GET /lists/a.b/members", "/3.0/lists/a.b/members", DecisionRule.Allowed),
        Refused("upper-case version segment lookalike", "GET", "/3.0X/lists", NotAnApiPath),
        Refused("version with a trailing dot", "GET", "/3.0./lists", NotAnApiPath),
        Refused("other version", "GET", "/2.0/lists", NotAnApiPath),
        Judged("percent-encoded version digits", "GET", "/%33.0/lists", "GET /lists", "/3.0/lists", DecisionRule.Allowed),

        // Characters that decode to something else.
        Refused("encoded NUL", "GET", "/3.0/lists%00/x", ControlCharacter),
        Refused("encoded line feed", "GET", "/3.0/lists%0a/x", ControlCharacter),
        Refused("encoded tab", "GET", "/3.0/lists/%09", ControlCharacter),
        Refused("raw carriage return", "GET", "/3.0/lists\r/x", ControlCharacter),
        Refused("overlong UTF-8 slash", "GET", "/3.0/lists%C0%AFautomations", InvalidPercentEncoding),
        Refused("invalid escape", "GET", "/3.0/lists/%zz", InvalidPercentEncoding),
        Refused("truncated escape", "GET", "/3.0/lists/%4", InvalidPercentEncoding),
        Refused("fullwidth solidus", "GET", "/3.0/lists%EF%BC%8F..%EF%BC%8Fautomations", InvalidCharacter),
        Refused("zero-width space", "GET", "/3.0/li%E2%80%8Bsts", InvalidCharacter),
        Refused("raw non-ASCII", "GET", "/3.0/listś", InvalidCharacter),
        Refused("fragment", "GET", "/3.0/lists#/../automations", InvalidCharacter),
        Refused("control character in the query", "GET", "/3.0/lists?a=\n", ControlCharacter),
        Judged("plus sign is forwarded encoded", "GET", "/3.0/lists/a+b", "GET /lists/a+b", "/3.0/lists/a%2Bb", DecisionRule.Allowed),

        // Method override.
        Judged("override to DELETE on an allowed path", "POST", "/3.0/lists/abc", "DELETE /lists/abc", "/3.0/lists/abc", DecisionRule.Allowed, ["DELETE"]),
        Judged("override to DELETE on a forbidden path", "POST", "/3.0/automations/x", "DELETE /automations/x", "/3.0/automations/x", DecisionRule.Path, ["DELETE"]),
        Judged("lower-case override", "POST", "/3.0/lists/abc", "DELETE /lists/abc", "/3.0/lists/abc", DecisionRule.Allowed, ["delete"]),
        Judged("the same override twice", "POST", "/3.0/lists/abc", "PATCH /lists/abc", "/3.0/lists/abc", DecisionRule.Allowed, ["PATCH", "patch"]),
        Refused("override on GET", "GET", "/3.0/lists/abc", MethodOverrideNotOnPost, ["DELETE"]),
        Refused("override on DELETE", "DELETE", "/3.0/lists/abc", MethodOverrideNotOnPost, ["GET"]),
        Refused("two different overrides", "POST", "/3.0/lists/abc", AmbiguousMethodOverride, ["GET", "DELETE"]),
        Refused("override comma list", "POST", "/3.0/lists/abc", AmbiguousMethodOverride, ["GET, DELETE"]),
        Refused("unknown override", "POST", "/3.0/lists/abc", UnknownMethod, ["TRACE"]),
        Refused("empty override", "POST", "/3.0/lists/abc", UnknownMethod, [""]),
        Refused("unknown method", "PROPFIND", "/3.0/lists/abc", UnknownMethod),
        Refused("_method query parameter", "POST", "/3.0/lists/abc?_method=DELETE", AmbiguousMethodOverride),
        Refused("encoded _method query parameter", "GET", "/3.0/lists?%5Fmethod=DELETE", AmbiguousMethodOverride),

        // Batches.
        Batch("batch of allowed operations", Ops("GET /lists/a/members", "POST /lists/a/members", "GET lists/b"), None, "GET /lists/a/members", DecisionRule.Allowed),
        Batch("batch with one forbidden operation", Ops("GET /lists/a", "DELETE /automations/x", "GET /lists/b"), None, "DELETE /automations/x", DecisionRule.Path),
        Batch("batch operation with its own dot-dot", Ops("GET /lists/a", "GET /lists/../automations"), None, "GET /automations", DecisionRule.Path),
        Batch("batch operation climbing above /3.0", Ops("GET /../automations"), BatchOperationInvalid),
        Batch("batch operation with an encoded slash", Ops("GET /lists/%2F..%2Fautomations"), BatchOperationInvalid),
        Batch("batch operation with double encoding", Ops("GET /lists/%252e%252e/automations"), BatchOperationInvalid),
        Batch("batch operation with a backslash", Ops("GET /lists\\..\\automations"), BatchOperationInvalid),
        Batch("batch operation with a matrix parameter", Ops("GET /lists;x/../automations"), BatchOperationInvalid),
        Batch("batch operation naming /3.0 again", Ops("GET /3.0/automations"), BatchOperationInvalid),
        Batch("batch operation with a query in the path", Ops("GET /lists?/../automations"), BatchOperationInvalid),
        Batch("nested batch", Ops("POST /batches"), BatchOperationInvalid),
        Batch("batch operation with HEAD", Ops("HEAD /lists"), BatchOperationInvalid),
        Batch("batch operation with a trailing dot", Ops("GET /lists/abc."), BatchOperationInvalid),
        Batch("batch operation in another case", Ops("GET /lists/a", "GET /LISTS/b"), None, "GET /LISTS/b", DecisionRule.Path),
        Batch("batch with an unknown top-level field", "{\"operations\":[],\"x\":1}", MalformedBatch),
        Batch("batch with operations twice", "{\"operations\":[{\"method\":\"GET\",\"path\":\"/lists\"}],\"operations\":[{\"method\":\"DELETE\",\"path\":\"/automations\"}]}", MalformedBatch),
        Batch("batch operation with method twice", "{\"operations\":[{\"method\":\"GET\",\"method\":\"DELETE\",\"path\":\"/lists\"}]}", BatchOperationInvalid),
        new Attack("upper-case batches endpoint is still a batch", "POST", "/3.0/BATCHES/", [], Ops("DELETE /automations/x"), None, "DELETE /automations/x", "/3.0/batches", DecisionRule.Path),
        new Attack("batch through a method override", "POST", "/3.0/batches", ["POST"], Ops("DELETE /automations/x"), None, "DELETE /automations/x", "/3.0/batches", DecisionRule.Path),

        // Mandrill paths: canonical form, then refused for a Marketing token.
        Judged("Mandrill version, case and suffix variants", "POST", "/api/1.3/Messages/Send.JSON", "POST messages/send", "/api/1.0/messages/send.json", DecisionRule.Api),
        Judged("Mandrill without suffix", "POST", "/api/1.0/users/ping", "POST users/ping", "/api/1.0/users/ping.json", DecisionRule.Api),
        Refused("Mandrill XML format", "POST", "/api/1.0/messages/send.xml", UnsupportedFormat),
        Refused("Mandrill PHP format", "POST", "/api/1.0/messages/send.PHP", UnsupportedFormat),
        Refused("Mandrill unknown suffix", "POST", "/api/1.0/messages/send.html", NotAnApiPath),
        Refused("Mandrill extra segment", "POST", "/api/1.0/messages/send/extra.json", NotAnApiPath),
        Refused("Mandrill missing method", "POST", "/api/1.0/messages", NotAnApiPath),
        Refused("Mandrill dot-dot", "POST", "/api/1.0/messages/../users/ping.json", DotSegmentEscapesRoot),
        Refused("Mandrill single dot", "POST", "/api/1.0/./users/ping.json", DotSegmentEscapesRoot),
        Refused("Mandrill encoded slash", "POST", "/api/1.0/messages%2Fsend.json", EncodedSeparator),
        Refused("Mandrill unknown version", "POST", "/api/2.0/messages/send.json", NotAnApiPath),
        Refused("Mandrill upper-case api", "POST", "/API/1.0/messages/send.json", NotAnApiPath),
        Refused("Mandrill over GET", "GET", "/api/1.0/users/ping.json", UnknownMethod),
        Refused("Mandrill override to GET", "POST", "/api/1.0/users/ping.json", UnknownMethod, ["GET"]),
        Refused("Mandrill with a query", "POST", "/api/1.0/messages/send.json?from_email=x", NotAnApiPath),
        Refused("Mandrill double slash", "POST", "/api/1.0//messages/send.json", EmptySegment),
        Refused("neither API", "GET", "/lists", NotAnApiPath),
        Refused("absolute-form target", "GET", "http://us1.api.mailchimp.com/3.0/lists", NotAnApiPath),
    ];

    [Theory]
    [MemberData(nameof(Attacks), DisableDiscoveryEnumeration = true)]
    public void Attack_IsCanonicalisedAndJudgedAsTheRequestItReallyIs(Attack attack)
    {
        var outcome = GatewayPipeline.Run(GatewayPipeline.ListsOnly, attack.Method, attack.Target, attack.Overrides, attack.Body);

        Assert.Equal(attack.Error, outcome.Error);
        if (attack.Error != None)
        {
            Assert.False(string.IsNullOrWhiteSpace(outcome.Detail));
            Assert.Null(outcome.Decision);
            return;
        }

        Assert.Equal(attack.Forward, outcome.Request!.ForwardPath);
        var decision = outcome.Decision!.Value;
        Assert.Equal(attack.Rule, decision.Rule);
        Assert.Equal(attack.Rule == DecisionRule.Allowed, decision.Allowed);
        var judged = attack.Rule is DecisionRule.Allowed or DecisionRule.Api
            ? outcome.Operations![0]
            : outcome.Operations!.Single(o => decision.Reason.Contains(o.Path, StringComparison.Ordinal));
        Assert.Equal(attack.Judged, $"{judged.Method} {judged.Path}");
    }

    [Fact]
    public void Attack_ForbiddenBatchOperation_ReasonNamesItsIndex()
    {
        var outcome = GatewayPipeline.Run(
            GatewayPipeline.ListsOnly, "POST", "/3.0/batches", batchBody: Ops("GET /lists/a", "DELETE /automations/x"));

        Assert.Equal("operation 1: path /automations/x is not in the token's allowed paths", outcome.Decision!.Value.Reason);
    }

    [Fact]
    public void Attack_InvalidBatchOperation_DetailNamesItsIndex()
    {
        var outcome = GatewayPipeline.Run(
            GatewayPipeline.ListsOnly, "POST", "/3.0/batches", batchBody: Ops("GET /lists/a", "GET /lists/b", "GET /lists/%2F"));

        Assert.Equal(BatchOperationInvalid, outcome.Error);
        Assert.StartsWith("operation 2: EncodedSeparator", outcome.Detail, StringComparison.Ordinal);
    }
}
