using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keywarden.Core.Policy;
using Keywarden.Testing;

namespace Keywarden.Gateway.Tests;

public sealed class GatewayBasicsTests
{
    [Fact]
    public async Task MarketingPing_WithToken_IsForwardedWithTheRealKey()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = (await gw.IssueAsync("news")).Token.Value;
        using var request = gw.Raw(HttpMethod.Get, "/3.0/ping", token);

        using var response = await gw.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Chimpy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var received = Assert.Single(gw.Sandbox.State.Requests);
        Assert.Equal(gw.MarketingKey.KeyId, received.KeyId);
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains(token[3..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task MarketingToken_WithDatacenterSuffixAndBearer_IsAccepted()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = (await gw.IssueAsync("news")).Token.Value;
        using var request = gw.Raw(HttpMethod.Get, "/3.0/ping");
        request.Headers.Authorization = new("Bearer", token + "-us21");

        using var response = await gw.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TransactionalPing_WithTokenInBody_IsForwardedWithTheRealKey()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = (await gw.IssueAsync("mail")).Token.Value;

        using var response = await gw.Client.PostAsJsonAsync("/api/1.3/users/ping.json", new { key = token }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"PONG!\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(gw.TransactionalKey.KeyId, Assert.Single(gw.Sandbox.State.Requests).KeyId);
    }

    [Fact]
    public async Task UnknownToken_GetsMailchimpsApiKeyInvalid_AndNothingReachesTheUpstream()
    {
        await using var gw = await KeywardenHost.StartAsync();
        using var request = gw.Raw(HttpMethod.Get, "/3.0/ping", Core.Tokens.GatewayToken.Generate().Value);

        using var response = await gw.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("API Key Invalid", problem.GetProperty("title").GetString());
        Assert.Empty(gw.Sandbox.State.Requests);
    }

    [Fact]
    public async Task TransactionalUnknownToken_GetsInvalidKey()
    {
        await using var gw = await KeywardenHost.StartAsync();

        using var response = await gw.Client.PostAsJsonAsync("/api/1.0/users/ping.json", new { key = "md-notarealkeynotarealke" }, TestContext.Current.CancellationToken);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Invalid_Key", error.GetProperty("name").GetString());
        Assert.Empty(gw.Sandbox.State.Requests);
    }

    [Fact]
    public async Task RevokedToken_IsRefusedOnTheNextRequest()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var issued = await gw.IssueAsync("news");
        using (var before = gw.Raw(HttpMethod.Get, "/3.0/ping", issued.Token.Value))
        {
            Assert.Equal(HttpStatusCode.OK, (await gw.Client.SendAsync(before, TestContext.Current.CancellationToken)).StatusCode);
        }

        await gw.Vault.Tokens.RevokeAsync(issued.Record.Id, TestContext.Current.CancellationToken);
        await gw.Gateway.RefreshTokensAsync(TestContext.Current.CancellationToken);
        using var after = gw.Raw(HttpMethod.Get, "/3.0/ping", issued.Token.Value);

        Assert.Equal(HttpStatusCode.Unauthorized, (await gw.Client.SendAsync(after, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Single(gw.Sandbox.State.Requests);
    }

    [Fact]
    public async Task PathOutsideThePolicy_IsForbidden_AndNeverForwarded()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = (await gw.IssueAsync("news", new TokenPolicy { Paths = ["/lists/**"] })).Token.Value;
        using var allowed = gw.Raw(HttpMethod.Get, "/3.0/lists", token);
        using var denied = gw.Raw(HttpMethod.Get, "/3.0/ping", token);

        using var ok = await gw.Client.SendAsync(allowed, TestContext.Current.CancellationToken);
        using var forbidden = await gw.Client.SendAsync(denied, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("/3.0/lists", Assert.Single(gw.Sandbox.State.Requests).Path);
    }

    [Fact]
    public async Task HealthReadinessAndMetrics_AreServed()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = (await gw.IssueAsync("news")).Token.Value;
        using (var request = gw.Raw(HttpMethod.Get, "/3.0/ping", token))
        {
            (await gw.Client.SendAsync(request, TestContext.Current.CancellationToken)).Dispose();
        }

        var health = await gw.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        var ready = await gw.Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var metrics = await gw.MetricsAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("keywarden_gateway_requests_total{api=\"marketing\",decision=\"allow\",rule=\"allow\",status=\"200\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("keywarden_audit_queue_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("keywarden_gateway_request_duration_seconds_count 1", metrics, StringComparison.Ordinal);
        // Process and runtime metrics come with the exporter (prometheus-net's DotNetStats).
        Assert.Matches(@"(?m)^process_cpu_seconds_total [0-9.eE+-]+$", metrics);
        Assert.Matches(@"(?m)^dotnet_total_memory_bytes [0-9.eE+-]+$", metrics);
        Assert.DoesNotContain(token[3..], metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreServedOnlyOnTheirOwnListener_WithAHelpLineForEach()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        using var onApi = await gw.Client.GetAsync("/metrics", ct);
        using var apiOnMetrics = await gw.Client.GetAsync(new Uri(gw.Gateway.MetricsAddresses[0], "3.0/ping"), ct);
        using var readyOnMetrics = await gw.Client.GetAsync(new Uri(gw.Gateway.MetricsAddresses[0], "readyz"), ct);
        var metrics = (await gw.MetricsAsync()).Split('\n');

        Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        Assert.Equal("application/problem+json", onApi.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, apiOnMetrics.StatusCode);
        Assert.Empty(gw.Received);
        Assert.Equal(HttpStatusCode.OK, readyOnMetrics.StatusCode);
        var typed = metrics.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        var helped = metrics.Where(l => l.StartsWith("# HELP ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        Assert.NotEmpty(typed);
        Assert.All(typed, name => Assert.Contains(name, helped));
    }
}
