using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>keywarden serve</c> run as a service would run it: its own process, its streams, its signals.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task APlainHttpListenerOtherMachinesCanReach_IsRefused_UnlessAllowed_AndSaysWhy()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var refused = await cli.RunAsync("serve", "--listen", "http://0.0.0.0:0");

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("error: refusing to serve the API on http://0.0.0.0:0 without TLS: applications send their tokens", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-plaintext", refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task ATakenPort_IsOneLineOnStderr_WithoutAStackTrace()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        using var holder = new TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        using var serve = ServeProcess.Start(cli, "serve", "--listen", $"http://127.0.0.1:{port}");
        await serve.WaitForExitAsync();

        Assert.Equal(2, serve.ExitCode);
        Assert.Empty(serve.Out);
        var errors = serve.Error.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal($"error: Failed to bind to address http://127.0.0.1:{port}: address already in use.", Assert.Single(errors));
        Assert.DoesNotContain(serve.Error, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonLogs_AreOneObjectPerLineOnStdout_WithTimeLevelEventAndCategory_AndNoBanner()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        using var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0", "--metrics-listen", "http://127.0.0.1:0", "--log-format", "json");
        var ready = await serve.WaitForLineAsync(serve.Out, l => l.Contains("\"EventId\":9000", StringComparison.Ordinal), "the ready event");
        var lines = serve.Out.ToList();
        serve.Signal("TERM");
        await serve.WaitForExitAsync();

        Assert.All(lines, line =>
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", json.GetProperty("Timestamp").GetString());
            Assert.True(json.TryGetProperty("LogLevel", out _) && json.TryGetProperty("EventId", out _) && json.TryGetProperty("Category", out _), line);
        });
        Assert.Contains("/3.0/", JsonDocument.Parse(ready).RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("\"EventId\":8000", StringComparison.Ordinal)); // listening
        Assert.Equal(0, serve.ExitCode);
    }

    [Fact]
    public async Task OverTls_SigHupReloadsTheCertificate_AndTheGatewayKeepsServing()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (certificate, key) = WriteCertificate(cli.DataDirectory);

        using var serve = ServeProcess.Start(cli, "serve", "--listen", "https://127.0.0.1:0", "--tls-cert", certificate, "--tls-key", key);
        var address = await serve.ListeningAsync();
        serve.Signal("HUP");
        var reloaded = await serve.WaitForLineAsync(serve.Error, l => l.Contains("[8008]", StringComparison.Ordinal) && l.Contains("SIGHUP", StringComparison.Ordinal), "the reload");

        Assert.Equal("https", address.Scheme);
        Assert.Contains("CN=keywarden-test", reloaded, StringComparison.Ordinal);
        Assert.False(serve.HasExited);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken); // still listening
    }

    private static (string Certificate, string Key) WriteCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=keywarden-test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(directory, "tls.crt");
        var keyFile = Path.Combine(directory, "tls.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }
}
