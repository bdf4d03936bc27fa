using System.Net;
using System.Text;
using Keywarden.Core.Policy;
using Keywarden.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Every bypass class of the gateway issue, sent over the wire exactly as an attacker would write it, and judged by
/// what the sandbox received: a refused request must never reach it, an allowed one reaches it in canonical form.
/// </summary>
public sealed class CanonicalisationAttackTests : IClassFixture<SharedGateway>
{
    private static readonly TokenPolicy ListsOnly = new() { Paths = ["/lists/**"] };
    private readonly SharedGateway _shared;

    public CanonicalisationAttackTests(SharedGateway shared)
    {
        _shared = shared;
    }

    [Theory]
    [InlineData("/3.0/automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists/../automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists/./../automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists/%2e%2e/automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists/%2E%2E/automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists/.%2e/automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/AUTOMATIONS", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/automations/", HttpStatusCode.Forbidden)]
    [InlineData("/%33.0/automations", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists/..%2fautomations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists%2f..%2fautomations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists%2F", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/%5c..%5cautomations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/%252e%252e/automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists%252f..%252fautomations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists//../automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0//automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists;x=1/../automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/..;/automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/%3b/../automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/../3.0/automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/%EF%BC%8F..%EF%BC%8Fautomations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/%C0%AE%C0%AE/automations", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/%E2%80%8B", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/LISTS", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/Lists/abc/members", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/%4Cists", HttpStatusCode.Forbidden)]
    [InlineData("/3.0/lists./abc", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/abc./members", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/abc%2E", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/abc/...", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists/abc%20/members", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists?_method=DELETE", HttpStatusCode.BadRequest)]
    [InlineData("/3.0/lists?%5Fmethod=DELETE", HttpStatusCode.BadRequest)]
    public async Task MarketingTargetOutsideTheGlobOrAmbiguous_IsRefused_AndNeverReachesTheSandbox(string target, HttpStatusCode status)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, target, token));

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("/3.0/lists/%00/../../automations", HttpStatusCode.BadRequest)] // Kestrel's own refusal
    [InlineData("//3.0/lists", HttpStatusCode.NotFound)]
    [InlineData("/3.1/lists", HttpStatusCode.NotFound)]
    [InlineData("/3.0.", HttpStatusCode.NotFound)]
    [InlineData("/api/../3.0/automations", HttpStatusCode.MethodNotAllowed)] // a GET on a Transactional path
    public async Task TargetThatIsNotAMailchimpApiPath_IsRefused_AndNeverReachesTheSandbox(string target, HttpStatusCode status)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, target, token));

        Assert.Equal(status, answer.Status);
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("GET /3.0/lists\\..\\automations HTTP/1.1")]
    [InlineData("GET /3.0/lists/..\\automations HTTP/1.1")]
    [InlineData("GET http://evil.example/3.0/automations HTTP/1.1")]
    public async Task RequestLineThatClientsWouldNormalise_IsRefused_AndNeverReachesTheSandbox(string requestLine)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);

        var (status, _) = await RawHttp.SendAsync(gw.Gateway.BaseAddress, requestLine, ["Authorization: " + BasicAuth.Header(token)]);

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"got {(int)status}");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("/3.0/lists/", "/3.0/lists")]
    [InlineData("/3.0/./lists", "/3.0/lists")]
    [InlineData("/3.0/automations/../lists", "/3.0/lists")]
    [InlineData("/3.0/%6cists", "/3.0/lists")]
    [InlineData("/3.0/lists/x/../", "/3.0/lists")]
    public async Task MarketingTargetThatResolvesInsideTheGlob_IsForwardedInCanonicalForm(string target, string forwarded)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, target, token));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(gw.Received);
        Assert.Equal(forwarded, received.Path);
        Assert.Equal("GET", received.Method);
        Assert.Equal(gw.MarketingKey.KeyId, received.KeyId);
    }

    [Theory]
    [InlineData("/3.0/lists/Shop-A/members")]
    [InlineData("/3.0/lists/SHOP-A/members")]
    [InlineData("/3.0/LISTS/shop-a/members")]
    public async Task PathThatDiffersFromTheGlobOnlyInCase_IsRefused_SoNoOtherResourceIsReached(string target)
    {
        // Ids can be case-sensitive (e-commerce store ids are the client's own strings): a policy naming one resource
        // must not reach another whose id differs only in case. Literal segments are compared exactly.
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { Paths = ["/lists/shop-a/**"] });

        var refused = await gw.SendAsync(gw.Raw(HttpMethod.Get, target, token));
        var batch = await gw.SendAsync(gw.Json(HttpMethod.Post, "/3.0/batches", token, new { operations = new[] { new { method = "GET", path = target["/3.0".Length..] } } }));

        refused.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        batch.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Empty(gw.Received);

        var allowed = await gw.SendAsync(gw.Raw(HttpMethod.Get, "/3.0/lists/shop-a/members", token));

        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.Status);
        Assert.Equal("/3.0/lists/shop-a/members", Assert.Single(gw.Received).Path);
    }

    [Theory]
    [InlineData("X-HTTP-Method-Override", "DELETE")]
    [InlineData("X-HTTP-Method-Override", "delete")]
    [InlineData("X-HTTP-Method-Override", " PATCH ")]
    [InlineData("X-HTTP-Method", "PATCH")]
    [InlineData("X-Method-Override", "PUT")]
    public async Task MethodOverrideToAWrite_IsJudgedAsTheWrite_OnAReadOnlyToken(string header, string method)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { ReadOnly = true });
        var request = gw.Raw(HttpMethod.Post, "/3.0/lists/abc", token);
        request.Headers.TryAddWithoutValidation(header, method);

        var answer = await gw.SendAsync(request);

        answer.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task MethodOverrideToGet_OnAReadOnlyToken_IsForwardedAsAPlainGet()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { ReadOnly = true });
        var request = gw.Raw(HttpMethod.Post, "/3.0/lists", token);
        request.Headers.TryAddWithoutValidation("X-HTTP-Method-Override", "GET");

        var answer = await gw.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(gw.Received);
        Assert.Equal("GET", received.Method);
        Assert.Equal("GET", received.EffectiveMethod);
        Assert.DoesNotContain(received.Headers.Keys, h => h.Contains("override", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task MethodOverrideToGetOnBatches_IsAListingOfBatches_NotABatch()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { ReadOnly = true });
        var request = gw.Raw(HttpMethod.Post, "/3.0/batches", token);
        request.Headers.TryAddWithoutValidation("X-HTTP-Method-Override", "GET");

        var answer = await gw.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(gw.Received);
        Assert.Equal(("GET", "/3.0/batches"), (received.Method, received.Path));
        Assert.Empty(received.BatchOperations);
    }

    [Fact]
    public async Task MethodOverride_StillHasItsPathJudged()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);
        var request = gw.Raw(HttpMethod.Post, "/3.0/automations", token);
        request.Headers.TryAddWithoutValidation("X-HTTP-Method-Override", "GET");

        var answer = await gw.SendAsync(request);

        answer.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("POST", new[] { "X-HTTP-Method-Override: GET", "X-HTTP-Method: DELETE" })]
    [InlineData("POST", new[] { "X-HTTP-Method-Override: GET", "X-HTTP-Method-Override: DELETE" })]
    [InlineData("POST", new[] { "X-HTTP-Method-Override: GET, DELETE" })]
    [InlineData("POST", new[] { "X-HTTP-Method-Override: CONNECT" })]
    [InlineData("GET", new[] { "X-HTTP-Method-Override: DELETE" })]
    [InlineData("PUT", new[] { "X-HTTP-Method-Override: GET" })]
    public async Task AmbiguousOrMisplacedMethodOverride_IsRejected(string method, string[] headers)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { ReadOnly = true });

        var (status, text) = await RawHttp.SendAsync(
            gw.Gateway.BaseAddress, $"{method} /3.0/lists HTTP/1.1", [.. headers, "Authorization: " + BasicAuth.Header(token), "Content-Length: 0"]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("application/problem+json", text, StringComparison.Ordinal);
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("/3.0/batches")]
    [InlineData("/3.0/batches/")]
    [InlineData("/3.0/BATCHES")]
    [InlineData("/3.0/%62atches")]
    [InlineData("/3.0/lists/../batches")]
    public async Task Batch_IsAllowedOnlyWhenEveryOperationPasses(string target)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);
        object[] inside = [new { method = "GET", path = "/lists" }, new { method = "GET", path = "lists/abc/members", @params = new { count = 1 } }];
        object[] oneOutside = [.. inside, new { method = "GET", path = "/automations" }];

        var refused = await gw.SendAsync(gw.Json(HttpMethod.Post, target, token, new { operations = oneOutside }));

        refused.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Contains("operation 2", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(gw.Received);

        var allowed = await gw.SendAsync(gw.Json(HttpMethod.Post, target, token, new { operations = inside }));

        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        var received = Assert.Single(gw.Received);
        Assert.Equal("/3.0/batches", received.Path); // judged as a batch, forwarded as one, whatever the case sent
        Assert.Equal(["/lists", "lists/abc/members"], received.BatchOperations.Select(o => o.Path));
    }

    [Theory]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists/../automations"}]}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"operations":[{"method":"GET","path":"lists/%2e%2e/automations"}]}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"operations":[{"method":"get","path":"/AUTOMATIONS"}]}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists/..%2fautomations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists/%252e%252e/automations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists\\..\\automations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists?x=1"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/3.0/automations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"POST","path":"/batches","body":"{}"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists","path":"/automations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists"}],"operations":[{"method":"GET","path":"/automations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists","url":"/automations"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"CONNECT","path":"/lists"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists"}]""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations":[{"method":"GET","path":"/lists"}]} {}""", HttpStatusCode.BadRequest)]
    [InlineData("""[{"method":"GET","path":"/lists"}]""", HttpStatusCode.BadRequest)]
    public async Task BatchOperationThatEscapesOrIsAmbiguous_RefusesTheWholeBatch(string body, HttpStatusCode status)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", ListsOnly);
        var request = gw.Raw(HttpMethod.Post, "/3.0/batches", token);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var answer = await gw.SendAsync(request);

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task BatchOfWrites_OnAReadOnlyToken_IsRefused()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { ReadOnly = true });
        object[] operations = [new { method = "GET", path = "/lists" }, new { method = "DELETE", path = "/lists/abc" }];

        var answer = await gw.SendAsync(gw.Json(HttpMethod.Post, "/3.0/batches", token, new { operations }));

        answer.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("/api/1.0/users/ping.json")]
    [InlineData("/api/1.3/users/ping")]
    [InlineData("/api/1.0/USERS/Ping.JSON")]
    [InlineData("/api/1.3/users/ping/")]
    [InlineData("/api/1.0/users/%70ing.json")]
    public async Task MandrillVersionCaseAndSuffix_AreNormalised_AndForwardedAsApi10Json(string target)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail", new TokenPolicy { Methods = ["users/ping"] });

        var answer = await PostRawAsync(gw, target, token);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("\"PONG!\"", answer.Body);
        var received = Assert.Single(gw.Received);
        Assert.Equal("/api/1.0/users/ping.json", received.Path);
        Assert.Equal(gw.TransactionalKey.KeyId, received.KeyId);
    }

    [Theory]
    [InlineData("/api/1.0/messages/send.json", HttpStatusCode.InternalServerError, "Forbidden")]
    [InlineData("/api/1.0/Messages/Send", HttpStatusCode.InternalServerError, "Forbidden")]
    [InlineData("/api/1.0/users/ping/../../messages/send.json", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/../messages/send", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/%2e%2e/messages/send", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users%2fping.json", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0//users/ping", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/ping;x=1", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/ping%252ejson", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/ping.xml", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/ping.php", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/ping.yaml", HttpStatusCode.InternalServerError, "ValidationError")]
    [InlineData("/api/1.0/users/ping.json.php", HttpStatusCode.NotFound, "Unknown_Method")]
    [InlineData("/api/1.0/users/ping.json?key=x", HttpStatusCode.NotFound, "Unknown_Method")]
    [InlineData("/api/2.0/users/ping.json", HttpStatusCode.NotFound, "Unknown_Method")]
    [InlineData("/api/1.0/users/ping/extra", HttpStatusCode.NotFound, "Unknown_Method")]
    public async Task MandrillTargetOutsideTheMethodListOrAmbiguous_IsRefused_AndNeverReachesTheSandbox(string target, HttpStatusCode status, string name)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail", new TokenPolicy { Methods = ["users/ping"] });

        var answer = await PostRawAsync(gw, target, token);

        answer.AssertMandrillError(status, name);
        Assert.Empty(gw.Received);
    }

    private static Task<Answer> PostRawAsync(KeywardenHost gw, string target, string token)
    {
        var request = gw.Raw(HttpMethod.Post, target);
        request.Content = new StringContent($$"""{"key":"{{token}}"}""", Encoding.UTF8, "application/json");
        return gw.SendAsync(request);
    }
}
