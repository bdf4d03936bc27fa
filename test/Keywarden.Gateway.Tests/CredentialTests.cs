using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Keywarden.Core.Tokens;
using Keywarden.Testing;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// How a token is presented, and what happens to it: accepted only where a Mailchimp key would be, refused when the
/// request carries two credentials or cannot be read one way only, and never forwarded.
/// </summary>
public sealed class CredentialTests : IClassFixture<SharedGateway>
{
    private const string Form = "application/x-www-form-urlencoded";

    private readonly SharedGateway _shared;

    public CredentialTests(SharedGateway shared)
    {
        _shared = shared;
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Bearer")]
    [InlineData("BasicWithDatacenterSuffix")]
    [InlineData("BearerWithDatacenterSuffix")]
    public async Task MarketingToken_IsAcceptedWhereTheKeyWouldBe_AndReplacedByTheRealKey(string presentation)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");
        var request = gw.Raw(HttpMethod.Get, "/3.0/ping");
        request.Headers.Authorization = presentation switch
        {
            "Basic" => BasicAuth.Header(token),
            "Bearer" => new AuthenticationHeaderValue("Bearer", token),
            "BasicWithDatacenterSuffix" => BasicAuth.Header(token + "-us21"),
            _ => new AuthenticationHeaderValue("Bearer", token + "-us21"),
        };

        var answer = await gw.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(gw.Received);
        Assert.Equal(gw.MarketingKey.KeyId, received.KeyId);
        Assert.Equal("basic", received.AuthScheme);
        AssertNoToken(received, token);
    }

    [Fact]
    public async Task MissingCredential_GetsApiKeyMissing()
    {
        var gw = _shared.Fresh();

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, "/3.0/ping"));

        answer.AssertProblem(HttpStatusCode.Unauthorized, "API Key Missing");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TheRealMailchimpKey_IsNotAGatewayCredential()
    {
        var gw = _shared.Fresh();

        var answer = await gw.GetAsync("/3.0/ping", gw.MarketingKey.Key);

        answer.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TokenWithABadChecksum_GetsApiKeyInvalid()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");
        var tampered = token[..^1] + (token[^1] == 'a' ? 'b' : 'a');

        var answer = await gw.GetAsync("/3.0/ping", tampered);

        answer.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TransactionalToken_OnTheMarketingApi_IsAnInvalidKey_AsMailchimpWouldSay()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");

        var answer = await gw.GetAsync("/3.0/ping", token);

        answer.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task MarketingToken_OnTheTransactionalApi_IsAnInvalidKey_AsMandrillWouldSay()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");

        var answer = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token });

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("BasicAndBearer")]
    [InlineData("TwoBasic")]
    [InlineData("ListInOneHeader")]
    public async Task TwoCredentials_AreRejectedAsAmbiguous(string shape)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");
        var other = await gw.TokenAsync("news");
        string[] headers = shape switch
        {
            "BasicAndBearer" => ["Authorization: " + BasicAuth.Header(token), "Authorization: Bearer " + other],
            "TwoBasic" => ["Authorization: " + BasicAuth.Header(token), "Authorization: " + BasicAuth.Header(other)],
            _ => ["Authorization: " + BasicAuth.Header(token) + ", Bearer " + other],
        };

        var (status, text) = await RawHttp.SendAsync(gw.Gateway.BaseAddress, "GET /3.0/ping HTTP/1.1", headers);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("application/problem+json", text, StringComparison.Ordinal);
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic a2V5d2FyZGVu")]
    [InlineData("Digest username=x")]
    [InlineData("Bearer")]
    public async Task UnreadableAuthorization_GetsApiKeyInvalid(string authorization)
    {
        var gw = _shared.Fresh();

        var (status, _) = await RawHttp.SendAsync(gw.Gateway.BaseAddress, "GET /3.0/ping HTTP/1.1", ["Authorization: " + authorization]);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("encoded-query")]
    [InlineData("header")]
    public async Task MarketingToken_SentAlsoOutsideAuthorization_IsRefused_SoItCannotReachMailchimp(string where)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");
        var target = where switch
        {
            "query" => "/3.0/lists?apikey=" + token,
            "encoded-query" => "/3.0/lists?note=" + Uri.EscapeDataString(token).Replace("_", "%5F", StringComparison.Ordinal),
            _ => "/3.0/lists",
        };
        var request = gw.Raw(HttpMethod.Get, target, token);
        if (where == "header")
        {
            request.Headers.TryAddWithoutValidation("X-Keywarden-Note", token);
        }

        var answer = await gw.SendAsync(request);

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("header")]
    [InlineData("transactional-header")]
    public async Task ASecondToken_OutsideTheCredential_IsRefused_SoItCannotReachMailchimp(string where)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync(where.StartsWith("transactional", StringComparison.Ordinal) ? "mail" : "news");
        var other = await gw.TokenAsync("news");
        HttpRequestMessage request;
        if (where == "transactional-header")
        {
            request = gw.Raw(HttpMethod.Post, "/api/1.0/users/ping.json");
            request.Content = new StringContent($$"""{"key":"{{token}}"}""", Encoding.UTF8, "application/json");
        }
        else
        {
            request = gw.Raw(HttpMethod.Get, where == "query" ? "/3.0/lists?note=" + other : "/3.0/lists", token);
        }

        if (where != "query")
        {
            request.Headers.TryAddWithoutValidation("X-Keywarden-Note", "other app: " + other);
        }

        var answer = await gw.SendAsync(request);

        Assert.True(answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError, $"got {(int)answer.Status}");
        Assert.Contains("Keywarden:", answer.Body, StringComparison.Ordinal);
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task MarketingToken_InThePath_IsRefused_SoItCannotReachMailchimp()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");

        var answer = await gw.GetAsync("/3.0/lists/" + token, token);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task MarketingToken_InABatchBody_IsRefused_SoItCannotReachMailchimp()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");
        object[] operations = [new { method = "GET", path = "/lists", operation_id = token }];

        var answer = await gw.SendAsync(gw.Json(HttpMethod.Post, "/3.0/batches", token, new { operations }));

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_000)]
    public async Task MarketingToken_InAStreamedBody_IsRefused_BeforeAnyOfItReachesMailchimp(int padding)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var (gw, token) = await StreamingUpstreamAsync(upstream);

        var answer = await PostStreamedAsync(gw, token, $$"""{"name":"{{new string('n', padding)}}","notes":"{{token}}"}""");

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Contains("token may only be sent as the API key", answer.Body, StringComparison.Ordinal);
        var secret = Encoding.ASCII.GetBytes(token[GatewayToken.Prefix.Length..]);
        Assert.DoesNotContain(upstream.Requests, r => r.Body.AsSpan().IndexOf(secret) >= 0);
    }

    [Theory]
    [InlineData("streamed", 0)]
    [InlineData("streamed", 100_000)]
    [InlineData("chunked", 0)]
    [InlineData("batch", 0)]
    public async Task ASecondToken_InAMarketingBody_IsRefused_SoItCannotReachMailchimp(string how, int padding)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var (gw, token) = await StreamingUpstreamAsync(upstream);
        var other = await gw.TokenAsync("news"); // another app's: a token is never forwarded, whoever's it is
        var json = how == "batch"
            ? $$"""{"operations":[{"method":"POST","path":"/lists","body":"{\"notes\":\"{{other}}\"}"}]}"""
            : $$"""{"name":"{{new string('n', padding)}}","notes":"{{other}}"}""";
        var request = gw.Raw(HttpMethod.Post, how == "batch" ? "/3.0/batches" : "/3.0/lists", token);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = how == "chunked";

        var answer = await gw.SendAsync(request);

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        var secret = Encoding.ASCII.GetBytes(other[GatewayToken.Prefix.Length..]);
        Assert.DoesNotContain(upstream.Requests, r => r.Body.AsSpan().IndexOf(secret) >= 0);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task ACompressedMarketingBody_IsRefused_ForTheGatewayCannotSeeATokenInIt(string encoding)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var (gw, token) = await StreamingUpstreamAsync(upstream);
        using var compressed = new MemoryStream();
        await using (Stream zip = encoding switch
        {
            "gzip" => new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true),
            _ => new System.IO.Compression.BrotliStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            await zip.WriteAsync(Encoding.UTF8.GetBytes($$"""{"name":"x","notes":"{{token}}"}"""), TestContext.Current.CancellationToken);
        }

        var request = gw.Raw(HttpMethod.Post, "/3.0/lists", token);
        request.Content = new ByteArrayContent(compressed.ToArray());
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add(encoding);

        var answer = await gw.SendAsync(request);

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task ASecondToken_InATransactionalBody_IsRefused_SoItCannotReachMailchimp()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");
        var other = await gw.TokenAsync("news");

        var answer = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token, note = "the newsletter's: " + other });

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task StreamedMarketingBody_WithoutTheToken_IsForwardedWhole()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var (gw, token) = await StreamingUpstreamAsync(upstream);
        var name = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));

        var answer = await PostStreamedAsync(gw, token, $$"""{"name":"{{name}}"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal($$"""{"name":"{{name}}"}""", Encoding.UTF8.GetString(received.Body));
    }

    /// <summary>A Marketing upstream of its own on <paramref name="upstream"/> (which records bodies), and a token for it.</summary>
    private async Task<(KeywardenHost Gateway, string Token)> StreamingUpstreamAsync(ScriptedUpstream upstream)
    {
        var gw = _shared.Fresh();
        var name = "stream-" + Guid.NewGuid().ToString("N")[..8];
        await gw.AddUpstreamAsync(name, Core.Keys.UpstreamKind.Marketing, upstream.BaseAddress);
        return (gw, await gw.TokenAsync(name));
    }

    /// <summary>POST /3.0/lists with a Content-Length body: streamed to Mailchimp, not buffered.</summary>
    private static Task<Answer> PostStreamedAsync(KeywardenHost gw, string token, string json)
    {
        var request = gw.Raw(HttpMethod.Post, "/3.0/lists", token);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        request.Content.Headers.ContentType = new("application/json");
        return gw.SendAsync(request);
    }

    [Fact]
    public async Task TransactionalJsonBody_IsForwardedWithTheRealKey_AndWithoutTheToken()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");

        var answer = await gw.PostTransactionalAsync("/api/1.0/users/info.json", new { key = token });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(gw.Received);
        Assert.Equal(gw.TransactionalKey.KeyId, received.KeyId); // the sandbox resolved the body's key: the real one
        Assert.Equal("body", received.AuthScheme);
        AssertNoToken(received, token);
    }

    [Fact]
    public async Task TransactionalFormBody_IsForwardedAsTheJsonObjectThatWasJudged_WithTheRealKeyOnly()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("\"PONG!\""));
        var gw = _shared.Fresh();
        var name = "form-" + Guid.NewGuid().ToString("N")[..8];
        var realKey = await gw.AddUpstreamAsync(name, Core.Keys.UpstreamKind.Transactional, upstream.BaseAddress);
        var token = await gw.TokenAsync(name);
        using var form = new StringContent($"key={token}&unused=a+b%2Bc&note=caf%C3%A9&&empty", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await gw.Client.PostAsync("/api/1.3/users/ping", form, TestContext.Current.CancellationToken);
        var answer = await Answer.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal("/api/1.0/users/ping.json", received.Target);
        Assert.Equal("application/json", received.Headers["Content-Type"]);
        // One reading only: the object the gateway judged, as JSON, its one key the real one.
        var fields = System.Text.Json.JsonDocument.Parse(received.Body).RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString()));
        Assert.Equal([("key", realKey), ("unused", "a b+c"), ("note", "café"), ("empty", "")], fields);
    }

    [Theory]
    [InlineData(Form, "key=TOKEN&message[to][0][email]=a%40example.net")] // PHP reads nested objects from brackets
    [InlineData(Form, "key=TOKEN&message%5Bsubject%5D=hi")]
    [InlineData(Form, "key=TOKEN&key[]=x")]
    [InlineData(Form, "key=TOKEN&id=a&id=b")] // first or last? readers differ
    [InlineData(Form, "key=TOKEN&ke.y=x")] // PHP turns '.' and ' ' in names into '_'
    [InlineData(Form, "key=TOKEN&ke+y=x")]
    [InlineData(Form, "key=TOKEN&=x")]
    [InlineData(Form, "key=TOKEN&note=%FF")] // not UTF-8
    [InlineData(Form, "key=TOKEN&note=%zz")]
    [InlineData(Form, "key=TOKEN&caf%C3%A9=x")]
    [InlineData("application/json", """{"key":"TOKEN","id":"a","id":"b"}""")]
    [InlineData("application/json", """{"key":"TOKEN","id":"a","\u0069d":"b"}""")]
    public async Task TransactionalBody_ThatCannotBeReadOneWayOnly_IsRefused(string contentType, string body)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");

        var answer = await PostPingAsync(gw, body.Replace("TOKEN", token, StringComparison.Ordinal), contentType);

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("application/json", """{"key":"TOKEN","key":"TOKEN"}""")]
    [InlineData("application/json", """{"key":"TOKEN","\u006bey":"OTHER"}""")]
    [InlineData("application/x-www-form-urlencoded", "key=TOKEN&key=OTHER")]
    [InlineData("application/x-www-form-urlencoded", "key=TOKEN&%6Bey=OTHER")]
    public async Task TransactionalBodyWithTwoKeys_IsRejectedAsAmbiguous(string contentType, string body)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");
        var other = await gw.TokenAsync("mail");
        var answer = await PostPingAsync(gw, body.Replace("TOKEN", token, StringComparison.Ordinal).Replace("OTHER", other, StringComparison.Ordinal), contentType);

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TransactionalBodyKeyAndAnAuthorizationHeader_AreRejectedAsAmbiguous()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");
        var request = gw.Raw(HttpMethod.Post, "/api/1.0/users/ping.json", token);
        request.Content = new StringContent($$"""{"key":"{{token}}"}""", Encoding.UTF8, "application/json");

        var answer = await gw.SendAsync(request);

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("""{"key":"TOKEN",""")]
    [InlineData("""["TOKEN"]""")]
    [InlineData("""{"key":"TOKEN"} {"key":"TOKEN"}""")]
    [InlineData("""{"key":"TOKEN",}""")]
    [InlineData("""{"key":"TOKEN" /* c */}""")]
    [InlineData("")]
    public async Task MalformedTransactionalJson_IsRejected(string body)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");
        var answer = await PostPingAsync(gw, body.Replace("TOKEN", token, StringComparison.Ordinal), "application/json");

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Theory]
    [InlineData("""{"key":null}""")]
    [InlineData("""{"key":["TOKEN"]}""")]
    [InlineData("""{"Key":"TOKEN"}""")]
    [InlineData("""{}""")]
    public async Task TransactionalBodyWithoutAStringKey_GetsInvalidKey(string body)
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");
        var answer = await PostPingAsync(gw, body.Replace("TOKEN", token, StringComparison.Ordinal), "application/json");

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TransactionalToken_AlsoInAHeader_IsRefused_SoItCannotReachMailchimp()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");
        var request = gw.Raw(HttpMethod.Post, "/api/1.0/users/ping.json");
        request.Content = new StringContent($$"""{"key":"{{token}}"}""", Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("X-Keywarden-Note", token);

        var answer = await gw.SendAsync(request);

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TransactionalToken_AlsoElsewhereInTheBody_IsRefused_SoItCannotReachMailchimp()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail");

        var answer = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token, note = "my token is " + token });

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task ClientHopByHopAndCredentialHeaders_AreNotForwarded()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var gw = _shared.Fresh();
        var name = "echo-" + Guid.NewGuid().ToString("N")[..8];
        var key = await gw.AddUpstreamAsync(name, Core.Keys.UpstreamKind.Marketing, upstream.BaseAddress);
        var token = await gw.TokenAsync(name);

        var (status, _) = await RawHttp.SendAsync(
            gw.Gateway.BaseAddress,
            "GET /3.0/ping HTTP/1.1",
            [
                "Authorization: " + BasicAuth.Header(token),
                "Proxy-Authorization: Basic c2VjcmV0OnNlY3JldA==",
                "Cookie: session=secret",
                "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-Host: evil.example",
                "Forwarded: for=203.0.113.9",
                "X-Real-IP: 203.0.113.9",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "Connection: X-Keywarden-Hop, Keep-Alive",
                "X-Keywarden-Hop: must not be forwarded",
                "X-Keywarden-Kept: fine",
            ]);

        Assert.Equal(HttpStatusCode.OK, status);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal("/3.0/ping", received.Target);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden:" + key)), received.Headers["Authorization"]);
        foreach (var header in new[] { "Proxy-Authorization", "Cookie", "X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-IP", "Keep-Alive", "TE", "X-Keywarden-Hop" })
        {
            Assert.False(received.Headers.ContainsKey(header), $"{header} was forwarded");
        }

        Assert.Equal("fine", received.Headers["X-Keywarden-Kept"]);
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains(token[GatewayToken.Prefix.Length..], StringComparison.Ordinal));
    }

    /// <summary>POST users/ping with a body sent exactly as written.</summary>
    private static async Task<Answer> PostPingAsync(KeywardenHost gw, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await gw.Client.PostAsync("/api/1.0/users/ping.json", content, TestContext.Current.CancellationToken);
        return await Answer.ReadAsync(response);
    }

    private static void AssertNoToken(Sandbox.RecordedRequest received, string token)
    {
        var secret = token[GatewayToken.Prefix.Length..(GatewayToken.Prefix.Length + GatewayToken.RandomLength)];
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, received.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, received.Path, StringComparison.Ordinal);
    }
}
