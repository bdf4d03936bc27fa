using System.Net.Http.Headers;
using Keywarden.Testing;

namespace Keywarden.Sandbox.Tests.Marketing;

public sealed class AuthenticationTests
{
    private const string InvalidDetail = "Your API key may be invalid, or you've attempted to access the wrong datacenter.";

    [Fact]
    public async Task Ping_WithBasicAuth_ReturnsChimpy()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "ping");

        Assert.Equal(200, reply.Status);
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal("Everything's Chimpy!", reply.String("health_status"));
        Assert.Contains("Everything's Chimpy!", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_WithBearerKey_ReturnsChimpy()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = sandbox.MarketingRequest(HttpMethod.Get, "ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.MarketingKey.Key);

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(200, reply.Status);
        Assert.Equal("bearer", Assert.Single(sandbox.State.Requests).AuthScheme);
    }

    [Fact]
    public async Task Ping_WithoutAuthorization_Returns401ApiKeyMissing()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = sandbox.MarketingRequest(HttpMethod.Get, "ping");
        request.Headers.Authorization = null;

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(401, reply.Status);
        Assert.Equal("application/problem+json", reply.MediaType);
        Assert.Equal("API Key Missing", reply.String("title"));
        Assert.Equal(401, reply.Json!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Ping_WithUnknownKey_Returns401ProblemJson()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "ping", key: "0123456789abcdef0123456789abcdef-us21");

        AssertInvalidKey(reply);
        Assert.Null(Assert.Single(sandbox.State.Requests).KeyId);
    }

    [Fact]
    public async Task Ping_WithRevokedKey_Returns401ProblemJson()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        Assert.Equal(200, (await sandbox.MarketingAsync(HttpMethod.Get, "ping")).Status);

        sandbox.State.RevokeKey(sandbox.MarketingKey.KeyId);
        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "ping");

        AssertInvalidKey(reply);
        var recorded = sandbox.State.Requests[^1];
        Assert.Equal(sandbox.MarketingKey.KeyId, recorded.KeyId);
        Assert.Equal(401, recorded.Status);
    }

    [Fact]
    public async Task Ping_WithKeyWhoseSuffixIsAnotherDatacenter_Returns401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = sandbox.MarketingKey.Key;
        var otherDatacenter = key[..key.LastIndexOf('-')] + "-us1";

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "ping", key: otherDatacenter);

        AssertInvalidKey(reply);
    }

    [Fact]
    public async Task Ping_AddressedToHostOfAnotherDatacenter_Returns401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var wrongHost = sandbox.MarketingRequest(HttpMethod.Get, "ping");
        wrongHost.Headers.Host = $"us1.localhost:{sandbox.Server.BaseAddress.Port}";
        var rightHost = sandbox.MarketingRequest(HttpMethod.Get, "ping");
        rightHost.Headers.Host = $"us21.localhost:{sandbox.Server.BaseAddress.Port}";

        AssertInvalidKey(await sandbox.SendAsync(wrongHost));
        Assert.Equal(200, (await sandbox.SendAsync(rightHost)).Status);
    }

    [Fact]
    public async Task Ping_WithTransactionalKey_Returns401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "ping", key: sandbox.TransactionalKey.Key);

        AssertInvalidKey(reply);
    }

    [Fact]
    public async Task Ping_WithTwoAuthorizationHeaders_Returns401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = sandbox.MarketingRequest(HttpMethod.Get, "ping");
        request.Headers.Authorization = null;
        request.Headers.TryAddWithoutValidation("Authorization", [BasicAuth.Header(sandbox.MarketingKey.Key).ToString(), "Bearer " + sandbox.MarketingKey.Key]);

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(401, reply.Status);
    }

    [Fact]
    public async Task Root_ReturnsTheAccountTheKeyBelongsTo()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var other = sandbox.State.CreateAccount("Globex", "us6");
        var otherKey = sandbox.State.CreateKey(other.AccountId, SandboxKeyKind.Marketing);

        var mine = await sandbox.MarketingAsync(HttpMethod.Get, "");
        var theirs = await sandbox.MarketingAsync(HttpMethod.Get, "", key: otherKey.Key);

        Assert.Equal(200, mine.Status);
        Assert.Equal(sandbox.Account.AccountId, mine.String("account_id"));
        Assert.Equal("Acme", mine.String("account_name"));
        Assert.Equal(sandbox.Account.LoginId, mine.String("login_id"));
        Assert.NotNull(mine.String("email"));
        Assert.Equal(other.AccountId, theirs.String("account_id"));
        Assert.EndsWith("-us6", otherKey.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPath_Returns404ResourceNotFound()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "campaigns-that-do-not-exist");

        Assert.Equal(404, reply.Status);
        Assert.Equal("application/problem+json", reply.MediaType);
        Assert.Equal("Resource Not Found", reply.String("title"));
    }

    [Fact]
    public async Task WrongMethod_Returns405WithAllowHeader()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Put, "lists");

        Assert.Equal(405, reply.Status);
        Assert.Equal("Method Not Allowed", reply.String("title"));
        Assert.Equal(["GET", "POST"], reply.Response.Content.Headers.Allow.Order());
    }

    private static void AssertInvalidKey(Reply reply)
    {
        Assert.Equal(401, reply.Status);
        Assert.Equal("application/problem+json", reply.MediaType);
        Assert.Equal("API Key Invalid", reply.String("title"));
        Assert.Equal(InvalidDetail, reply.String("detail"));
        Assert.Equal(401, reply.Json!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(reply.String("type")));
        Assert.False(string.IsNullOrEmpty(reply.String("instance")));
    }
}
