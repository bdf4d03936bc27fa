using System.Net;
using System.Text;
using Keywarden.Core.Policy;
using Keywarden.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>Each rule of a token's policy, enforced on the wire: what is refused never reaches the sandbox.</summary>
public sealed class PolicyEnforcementTests : IClassFixture<SharedGateway>
{
    private static readonly string[] Writes = ["POST", "PUT", "PATCH", "DELETE"];
    private readonly SharedGateway _shared;

    public PolicyEnforcementTests(SharedGateway shared)
    {
        _shared = shared;
    }

    [Fact]
    public async Task ReadOnlyMarketingToken_ReadsButCannotWrite()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { ReadOnly = true });

        var read = await gw.GetAsync("/3.0/lists", token);
        var head = await gw.SendAsync(gw.Raw(HttpMethod.Head, "/3.0/ping", token));
        var writes = new List<Answer>();
        foreach (var method in Writes)
        {
            writes.Add(await gw.SendAsync(gw.Json(new HttpMethod(method), "/3.0/lists", token, new { name = "x" })));
        }

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.NotEqual(HttpStatusCode.Forbidden, head.Status);
        Assert.All(writes, w => w.AssertProblem(HttpStatusCode.Forbidden, "Forbidden"));
        Assert.Equal(["GET", "HEAD"], gw.Received.Select(r => r.Method));
    }

    [Fact]
    public async Task ReadOnlyTransactionalToken_ReadsButCannotSend()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail", new TokenPolicy { ReadOnly = true });

        var info = await gw.PostTransactionalAsync("/api/1.0/users/info.json", new { key = token });
        var send = await gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = token, message = Message("a@example.com", 1) });
        var template = await gw.PostTransactionalAsync("/api/1.0/templates/add.json", new { key = token, name = "t" });

        Assert.Equal(HttpStatusCode.OK, info.Status);
        send.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        template.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        Assert.Equal(["/api/1.0/users/info.json"], gw.Received.Select(r => r.Path));
        Assert.Empty(gw.Sandbox.State.SentMessages);
    }

    [Fact]
    public async Task PathGlobs_AllowOnlyTheNamedSubtree()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news", new TokenPolicy { Paths = ["/lists/*/members/**", "/ping"] });

        var member = await gw.GetAsync("/3.0/lists/abc/members", token);
        var deeper = await gw.GetAsync("/3.0/lists/abc/members/f00d/notes", token);
        var ping = await gw.GetAsync("/3.0/ping", token);
        var list = await gw.GetAsync("/3.0/lists/abc", token);
        var sibling = await gw.GetAsync("/3.0/lists/abc/segments", token);
        var root = await gw.GetAsync("/3.0/", token);

        Assert.All(new[] { member, deeper }, a => Assert.NotEqual(HttpStatusCode.Forbidden, a.Status));
        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.All(new[] { list, sibling, root }, a => a.AssertProblem(HttpStatusCode.Forbidden, "Forbidden"));
        Assert.Equal(["/3.0/lists/abc/members", "/3.0/lists/abc/members/f00d/notes", "/3.0/ping"], gw.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task MandrillMethodAllowList_AllowsOnlyTheNamedMethodsAndGroups()
    {
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("mail", new TokenPolicy { Methods = ["messages/*", "users/ping"] });

        var ping = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token });
        var send = await gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = token, message = Message("a@example.com", 1) });
        var info = await gw.PostTransactionalAsync("/api/1.0/users/info.json", new { key = token });
        var template = await gw.PostTransactionalAsync("/api/1.0/templates/add.json", new { key = token, name = "t" });

        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.Equal(HttpStatusCode.OK, send.Status);
        info.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        template.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        Assert.Equal(["/api/1.0/users/ping.json", "/api/1.0/messages/send.json"], gw.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task ClientCidr_RefusesAddressesOutsideIt()
    {
        var gw = _shared.Fresh();
        var elsewhere = await gw.TokenAsync("news", new TokenPolicy { Cidrs = ["10.0.0.0/8", "2001:db8::/32"] });
        var loopback = await gw.TokenAsync("news", new TokenPolicy { Cidrs = ["127.0.0.1/32"] });

        var refused = await gw.GetAsync("/3.0/ping", elsewhere);
        var allowed = await gw.GetAsync("/3.0/ping", loopback);

        refused.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Single(gw.Received);
    }

    [Fact]
    public async Task SpoofedForwardedFor_FromAnUntrustedPeer_IsIgnored()
    {
        var gw = _shared.Fresh();
        var office = await gw.TokenAsync("news", new TokenPolicy { Cidrs = ["203.0.113.0/24"] });
        var loopback = await gw.TokenAsync("news", new TokenPolicy { Cidrs = ["127.0.0.1/32"] });
        var spoofed = gw.Raw(HttpMethod.Get, "/3.0/ping", office);
        spoofed.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        var hidden = gw.Raw(HttpMethod.Get, "/3.0/ping", loopback);
        hidden.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.1");

        var refused = await gw.SendAsync(spoofed);
        var allowed = await gw.SendAsync(hidden);

        refused.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        var received = Assert.Single(gw.Received);
        Assert.False(received.Headers.ContainsKey("x-forwarded-for"));
    }

    [Fact]
    public async Task ForwardedFor_FromATrustedProxy_IsTheClient_AndEntriesPrependedByTheClientAreIgnored()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.TrustedProxies.Add(IPNetwork.Parse("127.0.0.0/8")));
        var office = await gw.TokenAsync("news", new TokenPolicy { Cidrs = ["203.0.113.0/24"] });

        async Task<Answer> FromAsync(params string[] forwardedFor)
        {
            var request = gw.Raw(HttpMethod.Get, "/3.0/ping", office);
            foreach (var value in forwardedFor)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", value);
            }

            return await gw.SendAsync(request);
        }

        var inOffice = await FromAsync("203.0.113.7");
        var viaTwoTrustedHops = await FromAsync("203.0.113.8, 127.0.0.2");
        var prependedByClient = await FromAsync("203.0.113.7, 198.51.100.1");
        var twoHeaders = await FromAsync("203.0.113.7", "198.51.100.1");
        var garbage = await FromAsync("not-an-address");
        var none = await FromAsync();

        Assert.Equal(HttpStatusCode.OK, inOffice.Status);
        Assert.Equal(HttpStatusCode.OK, viaTwoTrustedHops.Status);
        Assert.All(new[] { prependedByClient, twoHeaders, garbage, none }, a => a.AssertProblem(HttpStatusCode.Forbidden, "Forbidden"));
        Assert.Equal(2, gw.Received.Count);
        Assert.All(gw.Received, r => Assert.False(r.Headers.ContainsKey("x-forwarded-for")));
    }

    [Fact]
    public async Task NotBeforeAndExpiry_FollowTheGatewaysClock()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var start = clock.GetUtcNow();
        var token = await gw.TokenAsync("news", new TokenPolicy { NotBefore = start.AddHours(1), ExpiresAt = start.AddHours(2) });

        var early = await gw.GetAsync("/3.0/ping", token);
        clock.Advance(TimeSpan.FromHours(1));
        var onTime = await gw.GetAsync("/3.0/ping", token);
        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1));
        var lastMoment = await gw.GetAsync("/3.0/ping", token);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var expired = await gw.GetAsync("/3.0/ping", token);

        early.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, onTime.Status);
        Assert.Equal(HttpStatusCode.OK, lastMoment.Status);
        expired.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(2, gw.Received.Count);
    }

    [Fact]
    public async Task BrowserOrigin_IsRefused_UnlessTheTokenAllowsIt()
    {
        var gw = _shared.Fresh();
        var plain = await gw.TokenAsync("news");
        var browser = await gw.TokenAsync("news", new TokenPolicy { Origins = ["https://app.example.org"] });

        async Task<Answer> WithOriginAsync(string token, string origin)
        {
            var request = gw.Raw(HttpMethod.Get, "/3.0/ping", token);
            request.Headers.TryAddWithoutValidation("Origin", origin);
            return await gw.SendAsync(request);
        }

        var plainFromBrowser = await WithOriginAsync(plain, "https://app.example.org");
        var nullOrigin = await WithOriginAsync(browser, "null");
        var otherOrigin = await WithOriginAsync(browser, "https://evil.example.org");
        var lookalike = await WithOriginAsync(browser, "https://app.example.org.evil.example");
        var allowed = await WithOriginAsync(browser, "https://app.example.org");
        var transactional = await gw.TokenAsync("mail");
        var mandrill = gw.Raw(HttpMethod.Post, "/api/1.0/users/ping.json");
        mandrill.Content = new StringContent($$"""{"key":"{{transactional}}"}""", Encoding.UTF8, "application/json");
        mandrill.Headers.TryAddWithoutValidation("Origin", "https://app.example.org");
        var mandrillFromBrowser = await gw.SendAsync(mandrill);

        Assert.All(new[] { plainFromBrowser, nullOrigin, otherOrigin, lookalike }, a => a.AssertProblem(HttpStatusCode.Forbidden, "Forbidden"));
        mandrillFromBrowser.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal("https://app.example.org", allowed.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("Origin", allowed.Headers["Vary"]);
        Assert.All(new[] { plainFromBrowser, otherOrigin }, a => Assert.False(a.Headers.ContainsKey("Access-Control-Allow-Origin")));
        Assert.Equal("https://app.example.org", allowed.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("Origin", allowed.Headers["Vary"]);
        Assert.All(new[] { plainFromBrowser, otherOrigin }, a => Assert.False(a.Headers.ContainsKey("Access-Control-Allow-Origin")));
        var received = Assert.Single(gw.Received);
        Assert.False(received.Headers.ContainsKey("origin"), "the browser's Origin is not forwarded to Mailchimp");
    }

    [Fact]
    public async Task AllowedOrigin_CanReadEveryAnswerToItsToken_TheGatewaysOwnIncluded_AndNoOtherOriginCan()
    {
        const string App = "https://app.example.org";
        await using var upstream = await ScriptedUpstream.StartAsync(c =>
        {
            // An upstream that opens itself to every page: the gateway decides who may read, not Mailchimp.
            c.Response.Headers.AccessControlAllowOrigin = "*";
            c.Response.Headers.AccessControlAllowCredentials = "true";
            c.Response.Headers.Vary = "Accept-Encoding";
            return c.Response.WriteAsync("{}");
        });
        var gw = _shared.Fresh();
        var name = "cors-" + Guid.NewGuid().ToString("N")[..8];
        await gw.AddUpstreamAsync(name, Core.Keys.UpstreamKind.Marketing, upstream.BaseAddress);
        await gw.AddUpstreamAsync(name + "-down", Core.Keys.UpstreamKind.Marketing, new Uri("http://127.0.0.1:9/"));
        var browser = await gw.TokenAsync(name, new TokenPolicy { Origins = [App], Paths = ["/lists/**"] });
        var plain = await gw.TokenAsync(name);
        var down = await gw.TokenAsync(name + "-down", new TokenPolicy { Origins = [App] });
        var mail = await gw.TokenAsync("mail", new TokenPolicy { Origins = [App], Methods = ["users/ping"] });

        async Task<Answer> GetAsync(string path, string token, string? origin)
        {
            var request = gw.Raw(HttpMethod.Get, path, token);
            if (origin is not null)
            {
                request.Headers.TryAddWithoutValidation("Origin", origin);
            }

            return await gw.SendAsync(request);
        }

        var forwarded = await GetAsync("/3.0/lists", browser, App);
        var outsideTheGlob = await GetAsync("/3.0/automations", browser, App);
        var unreachable = await GetAsync("/3.0/lists", down, App);
        var mandrill = gw.Raw(HttpMethod.Post, "/api/1.0/messages/send.json");
        mandrill.Content = new StringContent($$$"""{"key":"{{{mail}}}","message":{}}""", Encoding.UTF8, "application/json");
        mandrill.Headers.TryAddWithoutValidation("Origin", App);
        var mandrillRefused = await gw.SendAsync(mandrill);
        var noOrigin = await GetAsync("/3.0/lists", plain, null);
        var otherOrigin = await GetAsync("/3.0/lists", browser, "https://evil.example.org");
        var unknownToken = await GetAsync("/3.0/lists", "kw_" + new string('A', 36), App);

        Assert.Equal(HttpStatusCode.OK, forwarded.Status);
        outsideTheGlob.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        unreachable.AssertProblem(HttpStatusCode.BadGateway, "Bad Gateway");
        mandrillRefused.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        foreach (var answer in new[] { forwarded, outsideTheGlob, unreachable, mandrillRefused })
        {
            Assert.Equal(App, answer.Headers["Access-Control-Allow-Origin"]);
            Assert.Contains("Origin", answer.Headers["Vary"].Split(", "));
            Assert.False(answer.Headers.ContainsKey("Access-Control-Allow-Credentials"));
        }

        Assert.Equal("Accept-Encoding, Origin", forwarded.Headers["Vary"]); // the upstream's Vary is kept
        Assert.Equal(HttpStatusCode.OK, noOrigin.Status);
        otherOrigin.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        unknownToken.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        foreach (var answer in new[] { noOrigin, otherOrigin, unknownToken })
        {
            Assert.False(answer.Headers.ContainsKey("Access-Control-Allow-Origin"));
            Assert.False(answer.Headers.ContainsKey("Access-Control-Allow-Credentials"));
        }
    }

    [Fact]
    public async Task CorsPreflight_IsRefused_UnlessSomeTokenAllowsTheOrigin()
    {
        var gw = _shared.Fresh();
        await gw.TokenAsync("news", new TokenPolicy { Origins = ["https://app.example.org"] });

        async Task<Answer> PreflightAsync(string? origin)
        {
            var request = gw.Raw(HttpMethod.Options, "/3.0/lists");
            if (origin is not null)
            {
                request.Headers.TryAddWithoutValidation("Origin", origin);
            }

            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization");
            return await gw.SendAsync(request);
        }

        var unknown = await PreflightAsync("https://evil.example.org");
        var noOrigin = await PreflightAsync(null);
        var known = await PreflightAsync("https://app.example.org");

        unknown.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        noOrigin.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.False(unknown.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.NoContent, known.Status);
        Assert.Equal("https://app.example.org", known.Headers["Access-Control-Allow-Origin"]);
        Assert.Empty(gw.Received);
    }

    internal static object Message(string from, int recipients) => new
    {
        subject = "hello",
        from_email = from,
        html = "<p>hi</p>",
        to = Enumerable.Range(0, recipients).Select(i => new { email = $"r{i}@example.net", type = "to" }).ToArray(),
    };
}
