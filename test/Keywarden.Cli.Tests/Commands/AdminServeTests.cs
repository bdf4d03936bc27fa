using System.Net;
using System.Text.Json;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>serve --admin-listen</c>: the admin API on its own listener in the serve process, loopback unless TLS is given.</summary>
public sealed class AdminServeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdminListenerOtherMachinesCanReach_WithoutTls_IsRefused_WithExit2()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var refused = await cli.RunAsync("serve", "--listen", "http://127.0.0.1:0", "--admin-listen", "0.0.0.0:0");

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("error: the admin API would listen on 0.0.0.0:0, which other machines can reach, without TLS", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--admin-tls-cert", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_StartsTheAdminApi_WithItsOpenApiDocument_AndDefaultDeny()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        using var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0", "--admin-listen", "127.0.0.1:0");

        const string Banner = "  Admin API: ";
        var line = await serve.WaitForLineAsync(serve.Out, l => l.StartsWith(Banner, StringComparison.Ordinal), "the admin API's address");
        var v1 = new Uri(line[Banner.Length..].Split(' ')[0]);
        using var client = Loopback.Client(v1);

        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("openapi.json", UriKind.Relative), Ct));
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/v1/tokens", out _));
        using var anonymous = await client.GetAsync(new Uri("tokens", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }
}
