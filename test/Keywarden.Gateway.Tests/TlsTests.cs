using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Keywarden.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// <c>serve --listen https://… --tls-cert --tls-key</c>: PEM files, TLS 1.2 or newer, a renewed certificate taken up
/// without a restart, and a broken one not taken up.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempDirectory _directory = new("kw-tls-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string CertificateFile => _directory.Combine("gateway.crt");

    private string KeyFile => _directory.Combine("gateway.key");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AnHttpsListener_ServesTheApiOverTls12OrNewer_WithTheGivenCertificate()
    {
        var first = WriteCertificate("first");
        await using var gw = await StartAsync();
        var token = await gw.TokenAsync("news");

        var (presented, protocol) = await HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.None);
        using var client = TrustingClient(first);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gw.Gateway.BaseAddress, "3.0/ping"));
        request.Headers.Authorization = BasicAuth.Header(token);
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
    public async Task AnHttpsListener_ServesHttp2ThroughAlpn_WithTheSamePolicyDecisions_AndTheRealKeyUpstream()
    {
        var certificate = WriteCertificate("h2");
        await using var gw = await StartAsync();
        await using var upstream = await ScriptedUpstream.StartAsync(c => c.Response.WriteAsync("{}"));
        var realKey = await gw.AddUpstreamAsync("recorded", Core.Keys.UpstreamKind.Marketing, upstream.BaseAddress);
        var news = await gw.TokenAsync("news", new Core.Policy.TokenPolicy { Paths = ["/lists/**"] });
        var recorded = await gw.TokenAsync("recorded");
        var mail = await gw.TokenAsync("mail", new Core.Policy.TokenPolicy { Methods = ["users/ping"] });
        using var client = TrustingClient(certificate);

        async Task<(HttpStatusCode Status, Version Version, string Body)> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(gw.Gateway.BaseAddress, path))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact, // HTTP/2 or fail: no silent fallback to 1.1
                Content = content,
            };
            if (token is not null)
            {
                request.Headers.Authorization = BasicAuth.Header(token);
            }

            using var response = await client.SendAsync(request, Ct);
            return (response.StatusCode, response.Version, await response.Content.ReadAsStringAsync(Ct));
        }

        // Judged as over HTTP/1.1: the same answers, and the sandbox sees only what was allowed, with the real key.
        var allowed = await SendAsync(HttpMethod.Get, "3.0/lists", news);
        var outsideTheGlob = await SendAsync(HttpMethod.Get, "3.0/automations", news);
        var caseVariant = await SendAsync(HttpMethod.Get, "3.0/LISTS", news);
        var dotDot = await SendAsync(HttpMethod.Get, "3.0/lists/%2e%2e/automations", news);
        var sandboxMarketing = gw.Received.ToList();
        var ping = await SendAsync(HttpMethod.Post, "api/1.0/users/ping.json", null, new StringContent($$"""{"key":"{{mail}}"}""", Encoding.UTF8, "application/json"));
        var send = await SendAsync(HttpMethod.Post, "api/1.0/messages/send.json", null, new StringContent($$$"""{"key":"{{{mail}}}","message":{}}""", Encoding.UTF8, "application/json"));
        var sandboxTransactional = gw.Received.Skip(sandboxMarketing.Count).ToList();

        // Bodies: HTTP/2 has no chunked encoding, a body has a content-length or none; either way a token in it stays here.
        var streamed = await SendAsync(HttpMethod.Post, "3.0/lists", recorded, new StringContent($$"""{"name":"x","notes":"{{recorded}}"}""", Encoding.UTF8, "application/json"));
        var unknownLength = await SendAsync(HttpMethod.Post, "3.0/lists", recorded, new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes($$"""{"notes":"{{recorded}}"}"""))));
        var clean = await SendAsync(HttpMethod.Post, "3.0/lists", recorded, new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpVersion.Version20, allowed.Version);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(
            [HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            new[] { outsideTheGlob.Status, caseVariant.Status, dotDot.Status });
        var lists = Assert.Single(sandboxMarketing);
        Assert.Equal(("GET", "/3.0/lists", "basic"), (lists.Method, lists.Path, lists.AuthScheme));
        Assert.Equal(gw.MarketingKey.KeyId, lists.KeyId); // the sandbox resolved the key the gateway injected: the real one
        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.Equal("\"PONG!\"", ping.Body);
        Assert.Equal(HttpStatusCode.InternalServerError, send.Status);
        Assert.Contains("\"Forbidden\"", send.Body, StringComparison.Ordinal);
        var mandrill = Assert.Single(sandboxTransactional);
        Assert.Equal(("/api/1.0/users/ping.json", "body"), (mandrill.Path, mandrill.AuthScheme));
        Assert.Equal(gw.TransactionalKey.KeyId, mandrill.KeyId);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { streamed.Status, unknownLength.Status });
        Assert.Equal(HttpStatusCode.OK, clean.Status);
        var whole = Assert.Single(upstream.Requests); // the streamed one was cut off upstream; the unknown-length one never left
        Assert.Equal("""{"name":"x"}""", Encoding.UTF8.GetString(whole.Body));
        Assert.Equal("keywarden:" + realKey, Encoding.UTF8.GetString(Convert.FromBase64String(whole.Headers["Authorization"]["Basic ".Length..])));
        Assert.Equal(1, upstream.Incomplete);
    }

    [Fact]
    public async Task ARenewedCertificate_IsPresentedToNewConnections_AndABrokenOneIsNot()
    {
        WriteCertificate("first");
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var gw = await StartAsync(loggerFactory);

        var second = WriteCertificate("second");
        await Wait.UntilAsync(async () => (await HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.None)).Thumbprint == second, "the renewed certificate is presented");
        await File.WriteAllTextAsync(CertificateFile, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n", Ct);
        await Wait.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("[8009]", StringComparison.Ordinal))), "the broken file is reported");

        Assert.Equal(second, (await HandshakeAsync(gw.Gateway.BaseAddress, SslProtocols.None)).Thumbprint);
        Assert.Contains(logs.Lines, l => l.Contains("[8008]", StringComparison.Ordinal) && l.Contains("CN=second", StringComparison.Ordinal));
    }

    private Task<KeywardenHost> StartAsync(ILoggerFactory? loggerFactory = null) =>
        KeywardenHost.StartAsync(
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

    /// <summary>A body whose length the client cannot know in advance: sent with no content-length.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
