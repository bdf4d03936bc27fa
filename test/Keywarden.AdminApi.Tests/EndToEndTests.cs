using System.Net;
using System.Text.Json;

namespace Keywarden.AdminApi.Tests;

/// <summary>A token issued over the admin API works through the gateway until it is revoked over the admin API; the audit names who did it, from where.</summary>
public sealed class EndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IssueUseRevoke_ThroughTheApiAndTheGateway_AttributedToTheCaller()
    {
        await using var host = await AdminApiHost.StartAsync();
        var issued = await host.JsonAsync(
            HttpMethod.Post, "/v1/tokens", TestAuthenticator.Operator,
            new { upstream = "news", name = "newsletter", paths = new[] { "/ping", "/lists/**" }, rate = "600/min" }, HttpStatusCode.Created);
        Assert.Equal(1, issued.GetProperty("version").GetInt32());
        var id = issued.GetProperty("id").GetString()!;
        var token = issued.GetProperty("token").GetString()!;
        Assert.Equal("600/min", issued.GetProperty("policy").GetProperty("rate").GetString());

        await host.Gateway.Gateway.RefreshTokensAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, (await host.Gateway.GetAsync("/3.0/ping", token)).Status);

        var shown = await host.JsonAsync(HttpMethod.Get, $"/v1/tokens/{id}", TestAuthenticator.Viewer);
        Assert.Equal("active", shown.GetProperty("state").GetString());
        Assert.False(shown.TryGetProperty("token", out _)); // the secret is shown once, at issue

        var revoked = await host.JsonAsync(HttpMethod.Post, $"/v1/tokens/{id}/revoke", TestAuthenticator.Machine);
        Assert.True(revoked.GetProperty("revoked").GetBoolean());
        await host.Gateway.Gateway.RefreshTokensAsync(Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Gateway.GetAsync("/3.0/ping", token)).Status);

        var byOtto = await host.JsonAsync(HttpMethod.Get, "/v1/audit/tail?actor=otto&limit=10", TestAuthenticator.Viewer);
        var issue = Assert.Single(byOtto.GetProperty("records").EnumerateArray());
        Assert.Equal("token.issue", issue.GetProperty("method").GetString());
        Assert.Equal("127.0.0.1", issue.GetProperty("client").GetString());
        var byMachine = await host.JsonAsync(HttpMethod.Get, "/v1/audit/tail?actor=machine:ci", TestAuthenticator.Viewer);
        Assert.Equal("token.revoke", Assert.Single(byMachine.GetProperty("records").EnumerateArray()).GetProperty("method").GetString());
    }

    [Fact]
    public async Task TokenListing_PagesWithACursor_NewestFirst()
    {
        await using var host = await AdminApiHost.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await host.Gateway.IssueAsync("news");
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await host.JsonAsync(HttpMethod.Get, "/v1/tokens?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"), TestAuthenticator.Viewer);
            seen.AddRange(page.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        var all = await host.JsonAsync(HttpMethod.Get, "/v1/tokens", TestAuthenticator.Viewer);
        Assert.Equal(all.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetString()!), seen);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task UpstreamsAlertsAndAudit_AnswerTheCliDocuments()
    {
        await using var host = await AdminApiHost.StartAsync();
        var upstreams = await host.JsonAsync(HttpMethod.Get, "/v1/upstreams", TestAuthenticator.Viewer);
        Assert.Equal(["mail", "news"], upstreams.GetProperty("upstreams").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).Order());
        var news = await host.JsonAsync(HttpMethod.Get, "/v1/upstreams/news", TestAuthenticator.Viewer);
        Assert.Equal("marketing", news.GetProperty("kind").GetString());
        Assert.Equal(4, news.GetProperty("key_prefix").GetString()!.Length);

        var alerts = await host.JsonAsync(HttpMethod.Get, "/v1/alerts?state=all", TestAuthenticator.Viewer);
        Assert.Empty(alerts.GetProperty("alerts").EnumerateArray());

        var verified = await host.JsonAsync(HttpMethod.Get, "/v1/audit/verify", TestAuthenticator.Viewer);
        Assert.True(verified.GetProperty("intact").GetBoolean());

        using var export = await host.SendAsync(HttpMethod.Get, "/v1/audit/export", TestAuthenticator.Viewer);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.True(JsonDocument.Parse(line).RootElement.TryGetProperty("hash", out _)));

        var removed = await host.JsonAsync(HttpMethod.Delete, "/v1/upstreams/mail", TestAuthenticator.AdminSteppedUp);
        Assert.True(removed.GetProperty("removed").GetBoolean());
        using var gone = await host.SendAsync(HttpMethod.Get, "/v1/upstreams/mail", TestAuthenticator.Viewer);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
