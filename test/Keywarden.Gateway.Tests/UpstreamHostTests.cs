using System.Net;
using Keywarden.Core.Keys;
using Keywarden.Testing;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// The upstream's Host comes from its configured base URL, never from the client: the real key travels with that
/// request, and a client-chosen Host could steer it (virtual hosts, another datacenter, an attacker's host behind a
/// shared proxy). Judged by what the upstream received.
/// </summary>
public sealed class UpstreamHostTests : IClassFixture<SharedGateway>
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-Host", "Forwarded", "X-Forwarded-Proto", "X-Forwarded-Prefix"];

    private readonly SharedGateway _shared;

    public UpstreamHostTests(SharedGateway shared)
    {
        _shared = shared;
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("us5.api.mailchimp.com")]
    [InlineData("127.0.0.1:1")]
    public async Task ClientHost_OnAMarketingRequest_IsReplacedByTheUpstreamsOwn(string clientHost)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var gw = _shared.Fresh();
        var name = "host-" + Guid.NewGuid().ToString("N")[..8];
        await gw.AddUpstreamAsync(name, UpstreamKind.Marketing, upstream.BaseAddress);
        var token = await gw.TokenAsync(name);

        var (status, _) = await RawHttp.SendAsync(
            gw.Gateway.BaseAddress,
            "GET /3.0/ping HTTP/1.1",
            ["Authorization: " + BasicAuth.Header(token), "X-Forwarded-Host: evil.example", "Forwarded: host=evil.example;proto=https"],
            host: clientHost);

        Assert.Equal(HttpStatusCode.OK, status);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal(upstream.BaseAddress.Authority, received.Headers["Host"]);
        Assert.All(ForwardingHeaders, header => Assert.False(received.Headers.ContainsKey(header), $"{header} was forwarded"));
    }

    [Fact]
    public async Task ClientHost_OnATransactionalRequest_IsReplacedByTheUpstreamsOwn()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("\"PONG!\""));
        var gw = _shared.Fresh();
        var name = "host-" + Guid.NewGuid().ToString("N")[..8];
        await gw.AddUpstreamAsync(name, UpstreamKind.Transactional, upstream.BaseAddress);
        var token = await gw.TokenAsync(name);

        var (status, _) = await RawHttp.SendAsync(
            gw.Gateway.BaseAddress,
            "POST /api/1.0/users/ping.json HTTP/1.1",
            ["Content-Type: application/json", "X-Forwarded-Host: evil.example"],
            body: $$"""{"key":"{{token}}"}""",
            host: "evil.example");

        Assert.Equal(HttpStatusCode.OK, status);
        var received = Assert.Single(upstream.Requests);
        Assert.Equal(upstream.BaseAddress.Authority, received.Headers["Host"]);
        Assert.False(received.Headers.ContainsKey("X-Forwarded-Host"));
    }

    [Fact]
    public async Task ClientHostNamingAnotherDatacenter_DoesNotChangeWhatTheSandboxAnswers()
    {
        // The sandbox, like Mailchimp, refuses a key addressed to a datacenter that is not its account's: a Host the
        // client chose must not reach it, or the client would pick which account (or datacenter) hears the real key.
        var gw = _shared.Fresh();
        var token = await gw.TokenAsync("news");

        var (status, text) = await RawHttp.SendAsync(
            gw.Gateway.BaseAddress, "GET /3.0/ping HTTP/1.1", ["Authorization: " + BasicAuth.Header(token)], host: "us5.localhost");

        Assert.True(status == HttpStatusCode.OK, text);
        var received = Assert.Single(gw.Received);
        Assert.Equal(gw.Sandbox.BaseAddress.Authority, received.Headers["Host"]);
    }
}
