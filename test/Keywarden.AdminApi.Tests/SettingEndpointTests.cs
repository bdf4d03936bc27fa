using System.Net;
using Keywarden.Testing;

namespace Keywarden.AdminApi.Tests;

/// <summary>
/// The admin API's counterparts of <c>token decoy</c>, <c>token on-anomaly</c>, <c>upstream verify</c>,
/// <c>upstream max-age</c> and <c>notify test</c>, on a real sandbox and a real webhook receiver.
/// </summary>
public sealed class SettingEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Decoy_IsIssuedOnce_AndTheGatewayRefusesItLikeARevokedToken()
    {
        await using var host = await AdminApiHost.StartAsync();

        var decoy = await host.JsonAsync(HttpMethod.Post, "/v1/tokens/decoys", TestAuthenticator.Operator, new { upstream = "news", name = "ci variables" }, HttpStatusCode.Created);
        var token = decoy.GetProperty("token").GetString()!;
        await host.Gateway.Gateway.RefreshTokensAsync(Ct);
        var shown = await host.JsonAsync(HttpMethod.Get, $"/v1/tokens/{decoy.GetProperty("id").GetString()}", TestAuthenticator.Viewer);

        Assert.StartsWith("kw_", token, StringComparison.Ordinal);
        Assert.True(decoy.GetProperty("decoy").GetBoolean());
        Assert.True(shown.GetProperty("decoy").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Gateway.GetAsync("/3.0/ping", token)).Status);
    }

    [Fact]
    public async Task OnAnomaly_SetsAndResetsTheResponse_AndRefusesAnUnknownWord()
    {
        await using var host = await AdminApiHost.StartAsync();
        var id = (await host.Gateway.IssueAsync("news")).Record.Id;

        var suspend = await host.JsonAsync(HttpMethod.Post, $"/v1/tokens/{id}/on-anomaly", TestAuthenticator.Operator, new { response = "suspend" });
        var again = await host.JsonAsync(HttpMethod.Post, $"/v1/tokens/{id}/on-anomaly", TestAuthenticator.Operator, new { response = "suspend" });
        var reset = await host.JsonAsync(HttpMethod.Post, $"/v1/tokens/{id}/on-anomaly", TestAuthenticator.Operator, new { response = "default" });
        var bad = await host.JsonAsync(HttpMethod.Post, $"/v1/tokens/{id}/on-anomaly", TestAuthenticator.Operator, new { response = "panic" }, HttpStatusCode.BadRequest);

        Assert.Equal(("suspend", true), (suspend.GetProperty("on_anomaly").GetString(), suspend.GetProperty("changed").GetBoolean()));
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reset.GetProperty("on_anomaly").ValueKind);
        Assert.Equal("bad_request", bad.GetProperty("code").GetString());
    }

    [Fact]
    public async Task VerifyAndMaxAge_AnswerAboutTheStoredKey_AndTheNewAgeIsListed()
    {
        await using var host = await AdminApiHost.StartAsync();

        var verified = await host.JsonAsync(HttpMethod.Post, "/v1/upstreams/news/verify", TestAuthenticator.Operator);
        var age = await host.JsonAsync(HttpMethod.Post, "/v1/upstreams/news/max-age", TestAuthenticator.Admin, new { days = 30 });
        var shown = await host.JsonAsync(HttpMethod.Get, "/v1/upstreams/news", TestAuthenticator.Viewer);
        var zero = await host.JsonAsync(HttpMethod.Post, "/v1/upstreams/news/max-age", TestAuthenticator.Admin, new { days = 0 }, HttpStatusCode.BadRequest);
        var missing = await host.JsonAsync(HttpMethod.Post, "/v1/upstreams/nope/verify", TestAuthenticator.Operator, expected: HttpStatusCode.NotFound);

        Assert.Equal("news", verified.GetProperty("upstream").GetString());
        Assert.Equal("valid", verified.GetProperty("status").GetString());
        Assert.Equal(30, age.GetProperty("max_key_age_days").GetDouble());
        Assert.Equal(30, shown.GetProperty("max_key_age_days").GetDouble());
        Assert.Equal("bad_request", zero.GetProperty("code").GetString());
        Assert.Equal("upstream_not_found", missing.GetProperty("code").GetString());
    }

    [Fact]
    public async Task NotifyTest_PostsATestAlert_AndSaysWhetherTheWebhookTookIt()
    {
        await using var host = await AdminApiHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var added = await host.JsonAsync(HttpMethod.Post, "/v1/notify/webhooks", TestAuthenticator.Admin, new { url = receiver.Url }, HttpStatusCode.Created);
        var id = added.GetProperty("id").GetString()!;

        var delivered = await host.JsonAsync(HttpMethod.Post, $"/v1/notify/{id}/test", TestAuthenticator.Admin);
        receiver.Status = 500;
        var refused = await host.JsonAsync(HttpMethod.Post, $"/v1/notify/{id}/test", TestAuthenticator.Admin);

        Assert.True(delivered.GetProperty("delivered").GetBoolean());
        Assert.Contains("\"detector\":\"test\"", receiver.Received[0].Text, StringComparison.Ordinal);
        Assert.False(refused.GetProperty("delivered").GetBoolean());
        Assert.Contains("500", refused.GetProperty("failure").GetString(), StringComparison.Ordinal);
    }
}
