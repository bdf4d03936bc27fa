using System.Net;
using System.Text.Json;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Requests at the edges get the right status in the shape of the API they address (a neutral problem+json when they
/// address neither), a record that says what the client got, and no upstream request for a body that never completed.
/// </summary>
public sealed class EdgeAnswerTests
{
    private const string NeutralType = "about:blank";
    private const string MarketingType = "https://mailchimp.com/developer/marketing/docs/errors/";

    [Theory]
    [InlineData("CONNECT evil.example:443 HTTP/1.1", "evil.example:443", HttpStatusCode.MethodNotAllowed, "method")]
    [InlineData("CONNECT /3.0/lists HTTP/1.1", null, HttpStatusCode.MethodNotAllowed, "method")]
    [InlineData("OPTIONS * HTTP/1.1", null, HttpStatusCode.NotFound, "not-api")]
    [InlineData("GET /foo HTTP/1.1", null, HttpStatusCode.NotFound, "not-api")]
    [InlineData("TRACE /3.0/lists HTTP/1.1", null, HttpStatusCode.MethodNotAllowed, "method")]
    public async Task TargetsAndMethodsOfNeitherApi_GetANeutralProblem_AndARecord(string requestLine, string? host, HttpStatusCode status, string rule)
    {
        await using var gw = await KeywardenHost.StartAsync();

        var (got, text) = await RawHttp.SendAsync(gw.Gateway.BaseAddress, requestLine, [], host: host);

        Assert.True(status == got, text);
        var body = JsonDocument.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..(text.LastIndexOf('}') + 1)]).RootElement; // chunked
        Assert.Contains("Content-Type: application/problem+json", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(requestLine.Contains("/3.0/", StringComparison.Ordinal) ? MarketingType : NeutralType, body.GetProperty("type").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("NotAnApiPath", text, StringComparison.Ordinal);
        if (status == HttpStatusCode.MethodNotAllowed)
        {
            Assert.Contains("Allow: GET, POST, PUT, PATCH, DELETE, OPTIONS", text, StringComparison.Ordinal);
        }

        var record = (await gw.ReadAuditAsync())[^1].Entry;
        Assert.Equal((AuditDecision.Deny, rule, (int?)null), (record.Decision, record.Rule, record.UpstreamStatus));
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("/3.0/ping?apikey={0}")]
    [InlineData("/3.0/lists/{0}")]
    [InlineData("/3.0/ping?key=%6Bw_{1}")]
    public async Task ATokenInTheUrl_WithoutAKey_IsRefusedWithTheReason_AndRecordedUnderTheToken(string target)
    {
        await using var gw = await KeywardenHost.StartAsync();
        var issued = await gw.IssueAsync("news");
        var token = issued.Token.Value;

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, string.Format(System.Globalization.CultureInfo.InvariantCulture, target, token, token[3..])));

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Contains("a token in the URL is refused", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("API Key Missing", answer.Body, StringComparison.Ordinal);
        var record = (await gw.ReadAuditAsync())[^1].Entry;
        Assert.Equal(("token-in-url", issued.Record.Id), (record.Rule, record.TokenId));
        Assert.DoesNotContain(token[3..], record.Path, StringComparison.Ordinal);
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task ARefusal_ReadsAsWritten_WithoutUnicodeEscapes_AndForbidsSniffing()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = await gw.TokenAsync("news", new Core.Policy.TokenPolicy { Paths = ["/lists/**"] });

        var answer = await gw.GetAsync("/3.0/ping", token);

        answer.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Contains("not in the token's allowed paths", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", answer.Body, StringComparison.Ordinal);
        Assert.Equal("nosniff", answer.Headers["X-Content-Type-Options"]);
    }

    [Fact]
    public async Task DotSegmentsAboveTheMarketingRoot_AreRefusedInTheMarketingShape()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = await gw.TokenAsync("news");

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, "/3.0/%2e%2e/", token));

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Equal(MarketingType, answer.Json.GetProperty("type").GetString());
        Assert.Contains("climbs above the API root", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOnATransactionalPath_Is405_InTheTransactionalShape()
    {
        await using var gw = await KeywardenHost.StartAsync();

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, "/api/1.0/users/ping.json"));

        answer.AssertMandrillError(HttpStatusCode.MethodNotAllowed, "ValidationError");
        Assert.Equal("POST", answer.Headers["Allow"]);
    }

    [Theory]
    [InlineData("POST /3.0/lists HTTP/1.1", "marketing")]
    [InlineData("POST /api/1.0/users/ping.json HTTP/1.1", "transactional")]
    public async Task MalformedChunkedBody_Is400InTheApisShape_RecordedAsSuch_AndNothingIsLoggedAsUnhandled(string requestLine, string api)
    {
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var gw = await KeywardenHost.StartAsync(loggerFactory: loggerFactory);
        var token = await gw.TokenAsync(api == "marketing" ? "news" : "mail");
        var auth = api == "marketing" ? $"Authorization: {BasicAuth.Header(token)}\r\n" : "";

        var (status, text) = await RawHttp.SendExactlyAsync(
            gw.Gateway.BaseAddress,
            $"{requestLine}\r\nHost: {gw.Gateway.BaseAddress.Authority}\r\n{auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{{\"a\":\r\nZZ\r\n1}}\r\n0\r\n\r\n");

        Assert.Equal(api == "marketing" ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError, status);
        Assert.Contains(api == "marketing" ? "\"title\":\"Bad Request\"" : "\"name\":\"ValidationError\"", text, StringComparison.Ordinal);
        var record = (await gw.ReadAuditAsync())[^1].Entry;
        Assert.Equal((AuditDecision.Deny, "body-malformed", (int?)null), (record.Decision, record.Rule, record.UpstreamStatus));
        Assert.Empty(gw.Received);
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.Contains("nhandled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StreamedBodyThatStalls_Is408_AndTheUpstreamNeverGetsAWholeRequest()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        await using var gw = await KeywardenHost.StartAsync(o =>
        {
            o.MinRequestBodyBytesPerSecond = 1000;
            o.MinRequestBodyGracePeriod = TimeSpan.FromSeconds(1.5);
        });
        await gw.AddUpstreamAsync("slow", UpstreamKind.Marketing, upstream.BaseAddress);
        var token = await gw.TokenAsync("slow");

        // A Content-Length body is streamed to the upstream as it arrives; this one stops after a few bytes.
        var (status, text) = await RawHttp.SendExactlyAsync(
            gw.Gateway.BaseAddress,
            $"POST /3.0/lists HTTP/1.1\r\nHost: {gw.Gateway.BaseAddress.Authority}\r\nAuthorization: {BasicAuth.Header(token)}\r\n"
            + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"name\":\"");

        Assert.Equal(HttpStatusCode.RequestTimeout, status);
        Assert.Contains("\"title\":\"Request Timeout\"", text, StringComparison.Ordinal);
        var record = (await gw.ReadAuditAsync())[^1].Entry;
        Assert.Equal((AuditDecision.Deny, "body-timeout", (int?)null), (record.Decision, record.Rule, record.UpstreamStatus));
        await Wait.UntilAsync(() => Task.FromResult(upstream.Incomplete == 1), "the upstream's read of the cut-off body fails");
        Assert.Empty(upstream.Requests);
    }
}
