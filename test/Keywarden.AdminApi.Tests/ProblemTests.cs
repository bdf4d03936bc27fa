using System.Net;
using System.Text;
using System.Text.Json;
using Keywarden.Core.Tokens;

namespace Keywarden.AdminApi.Tests;

/// <summary>Every error is application/problem+json with a stable code, a title and a detail; bodies over 64 KiB are refused.</summary>
public sealed class ProblemTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARefusalOfTheVault_IsAProblemWithItsStableCode()
    {
        await using var host = await AdminApiHost.StartAsync();
        var unknown = AccessorId.New();
        using var response = await host.SendAsync(HttpMethod.Get, $"/v1/tokens/{unknown}", TestAuthenticator.Viewer);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("token_not_found", problem.GetProperty("code").GetString());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Contains(unknown, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSuchRoute_AndUnreadableJson_AreProblemsToo()
    {
        await using var host = await AdminApiHost.StartAsync();
        using var missing = await host.SendAsync(HttpMethod.Get, "/v1/nothing-here", TestAuthenticator.Viewer);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", (await ProblemAsync(missing)).GetProperty("code").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/tokens") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", TestAuthenticator.Operator);
        using var garbled = await host.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Equal("bad_request", (await ProblemAsync(garbled)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ABodyOver64KiB_Is413_BodyTooLarge()
    {
        await using var host = await AdminApiHost.StartAsync();
        var big = new { upstream = "news", name = new string('a', 70 * 1024), paths = new[] { "/lists/**" } };
        using var response = await host.SendAsync(HttpMethod.Post, "/v1/tokens", TestAuthenticator.Operator, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await ProblemAsync(response)).GetProperty("code").GetString());

        // Streamed without a length: refused all the same once 64 KiB have come.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "v1/tokens")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(big)))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Authorization = new("Bearer", TestAuthenticator.Operator);
        using var streamed = await host.Client.SendAsync(chunked, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal("body_too_large", (await ProblemAsync(streamed)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheUnauthenticatedAnswer_NamesTheBearerScheme()
    {
        await using var host = await AdminApiHost.StartAsync();
        using var response = await host.SendAsync(HttpMethod.Get, "/v1/tokens", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public void AListenerOffLoopback_WithoutTls_IsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => AdminApiOptions.Parse("0.0.0.0:8201", null, null));
        Assert.Contains("TLS", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AdminApiOptions.Parse("192.0.2.10:8201", null, null));
        Assert.NotNull(AdminApiOptions.Parse("[::1]:8201", null, null));
        Assert.NotNull(AdminApiOptions.Parse("localhost:8201", null, null));
        Assert.NotNull(AdminApiOptions.Parse("0.0.0.0:8201", "cert.pem", "key.pem"));
        Assert.Null(AdminApiOptions.Parse("off", null, null));
        Assert.Throws<ArgumentException>(() => AdminApiOptions.Parse("0.0.0.0:8201", "cert.pem", null));
        Assert.Throws<ArgumentException>(() => AdminApiOptions.Parse("8201", null, null));
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }
}
