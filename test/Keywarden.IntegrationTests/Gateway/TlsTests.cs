using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Keywarden.IntegrationTests.Gateway;

/// <summary>
/// <c>serve --listen https://… --tls-cert --tls-key</c>: PEM files, TLS 1.2 or newer, a renewed certificate taken up
/// without a restart, and a broken one not taken up.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kw-tls-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string CertificateFile => Path.Combine(_directory, "gateway.crt");

    private string KeyFile => Path.Combine(_directory, "gateway.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AnHttpsListener_ServesTheApiOverTls12OrNewer_WithTheGivenCertificate()
    {
        var first = WriteCertificate("first");
        await using var gw = await StartAsync();
        var token = await gw.TokenAsync("news");

        var (presented, protocol) = await HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.None);
        using var client = TrustingClient(first);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gw.Gateway.BaseAddress, "3.0/ping"));
        request.Headers.Authorization = GatewayFixture.Basic(token);
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal("https", gw.Gateway.BaseAddress.Scheme);
        Assert.Equal(first, presented);
        Assert.True(protocol >= SslProtocols.Tls12, $"negotiated {protocol}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Whether or not this machine's TLS library still speaks 1.1, the gateway must not accept it.
#pragma warning disable SYSLIB0039, CA5397 // asking for the old protocol on purpose, to see it refused
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039, CA5397
    }

    [Fact]
    public async Task ARenewedCertificate_IsPresentedToNewConnections_AndABrokenOneIsNot()
    {
        WriteCertificate("first");
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var gw = await StartAsync(loggerFactory);

        var second = WriteCertificate("second");
        await GatewayFixture.WaitUntilAsync(async () => (await HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.None)).Thumbprint == second, "the renewed certificate is presented");
        await File.WriteAllTextAsync(CertificateFile, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n", Ct);
        await GatewayFixture.WaitUntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("[8009]", StringComparison.Ordinal))), "the broken file is reported");

        Assert.Equal(second, (await HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.None)).Thumbprint);
        Assert.Contains(logs.Lines, l => l.Contains("[8008]", StringComparison.Ordinal) && l.Contains("CN=second", StringComparison.Ordinal));
    }

    private Task<GatewayFixture> StartAsync(ILoggerFactory? loggerFactory = null) =>
        GatewayFixture.StartAsync(
            o =>
            {
                o.Urls.Clear();
                o.Urls.Add("https://127.0.0.1:0");
                o.TlsCertificateFile = CertificateFile;
                o.TlsKeyFile = KeyFile;
            },
            loggerFactory: loggerFactory);

    /// <summary>A self-signed certificate for 127.0.0.1 in the two PEM files; returns its thumbprint.</summary>
    private string WriteCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Key first: the certificate's change is what a watcher most likely sees last.
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        return certificate.Thumbprint;
    }

    private static async Task<(string Thumbprint, SslProtocols Protocol)> HandshakeAsync(Uri address, SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, Ct);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                EnabledSslProtocols = protocols,
#pragma warning disable CA5359 // self-signed, made by the test: the thumbprint returned is what the test checks
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
            },
            Ct);
        return (new X509Certificate2(ssl.RemoteCertificate!).Thumbprint, ssl.SslProtocol);
    }

    private static HttpClient TrustingClient(string thumbprint) =>
        new(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && new X509Certificate2(certificate).Thumbprint == thumbprint,
            },
        });
}
