using System.Net;
using Keywarden.Core.Keys;
using Keywarden.Testing;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Tests;

/// <summary>Upstream failures answered in Mailchimp's shapes, and store changes (revocations) picked up by the revision poll.</summary>
public sealed class ResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpstreamDown_GetsAMailchimpShaped502()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var closed = Loopback.ClosedAddress();
        await gw.AddUpstreamAsync("down", UpstreamKind.Marketing, closed);
        await gw.AddUpstreamAsync("down-mail", UpstreamKind.Transactional, closed);
        var news = await gw.TokenAsync("down");
        var mail = await gw.TokenAsync("down-mail");

        var marketing = await gw.GetAsync("/3.0/ping", news);
        var transactional = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail });

        marketing.AssertProblem(HttpStatusCode.BadGateway, "Bad Gateway");
        transactional.AssertMandrillError(HttpStatusCode.BadGateway, "GeneralError");
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task UpstreamSlowerThanTheTimeout_GetsAMailchimpShaped504()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.UpstreamTimeout = TimeSpan.FromMilliseconds(500));
        var news = await gw.TokenAsync("news");
        var mail = await gw.TokenAsync("mail");
        using var hold = gw.Sandbox.State.HoldRequests();

        var marketing = gw.GetAsync("/3.0/ping", news);
        var transactional = gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail });
        await hold.WaitForHeldAsync(2, Ct); // both reached the sandbox, which will not answer in time
        var answers = await Task.WhenAll(marketing, transactional);
        hold.Release();

        answers[0].AssertProblem(HttpStatusCode.GatewayTimeout, "Gateway Timeout");
        answers[1].AssertMandrillError(HttpStatusCode.GatewayTimeout, "GeneralError");
    }

    [Fact]
    public async Task Upstream429WithRetryAfter_IsPassedThrough()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "7";
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync(
                """{"type":"https://mailchimp.com/developer/marketing/docs/errors/","title":"Too Many Requests","status":429,"detail":"You have exceeded the limit of 10 simultaneous connections.","instance":"x"}""");
        });
        await using var gw = await KeywardenHost.StartAsync();
        await gw.AddUpstreamAsync("busy", UpstreamKind.Marketing, upstream.BaseAddress);
        var token = await gw.TokenAsync("busy");

        var answer = await gw.GetAsync("/3.0/lists", token);

        answer.AssertProblem(HttpStatusCode.TooManyRequests, "Too Many Requests");
        Assert.Equal("7", answer.Headers["Retry-After"]);
        Assert.Equal("You have exceeded the limit of 10 simultaneous connections.", answer.Json.GetProperty("detail").GetString());
        Assert.Equal("/3.0/lists", Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task Revocation_TakesEffectOnTheNextRequestAfterTheRevisionPoll()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.ReloadInterval = TimeSpan.FromMilliseconds(20));
        var issued = await gw.IssueAsync("news");
        var before = await gw.GetAsync("/3.0/ping", issued.Token.Value);

        await gw.Vault.Tokens.RevokeAsync(issued.Record.Id, Ct);
        var revision = await gw.Store.GetRevisionAsync(Ct);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_token_cache_revision") >= revision, "the gateway reloads the revoked token");
        var after = await gw.GetAsync("/3.0/ping", issued.Token.Value);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        after.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Single(gw.Received);
    }

    [Fact]
    public async Task TokenIssuedByAnotherProcess_WorksAfterTheRevisionPoll()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.ReloadInterval = TimeSpan.FromMilliseconds(20));

        var issued = await gw.Vault.Tokens.IssueAsync("news", "late app", new Core.Policy.TokenPolicy(), Ct);
        var revision = await gw.Store.GetRevisionAsync(Ct);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_token_cache_revision") >= revision, "the gateway loads the new token");
        var answer = await gw.GetAsync("/3.0/ping", issued.Token.Value);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(gw.MarketingKey.KeyId, Assert.Single(gw.Received).KeyId);
    }

    [Fact]
    public async Task UpstreamKeyRevokedInMailchimp_PassesMailchimpsOwnErrorThrough()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var news = await gw.TokenAsync("news");
        var mail = await gw.TokenAsync("mail");
        gw.Sandbox.State.RevokeKey(gw.MarketingKey.KeyId);
        gw.Sandbox.State.RevokeKey(gw.TransactionalKey.KeyId);

        var marketing = await gw.GetAsync("/3.0/ping", news);
        var transactional = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail });

        marketing.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        transactional.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        Assert.Equal([gw.MarketingKey.KeyId, gw.TransactionalKey.KeyId], gw.Received.Select(r => r.KeyId));
    }
}
