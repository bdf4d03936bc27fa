using System.Net.Http.Headers;
using System.Text;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Gateway;
using Keywarden.Mailchimp;
using Keywarden.Sandbox;
using Keywarden.Storage.Sqlite;
using Keywarden.Storage.Vault;

namespace Keywarden.IntegrationTests.Gateway;

/// <summary>
/// The real thing on loopback: the sandbox as Mailchimp, a SQLite vault in a temp directory holding
/// one Marketing and one Transactional key of the sandbox, and the gateway in front of it.
/// </summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private static readonly HttpClient VerifierHttp = new();

    private GatewayFixture(SandboxServer sandbox, KeywardenVault vault, GatewayServer gateway, string directory, CreatedSandboxKey marketing, CreatedSandboxKey transactional)
    {
        Sandbox = sandbox;
        Vault = vault;
        Gateway = gateway;
        Directory = directory;
        MarketingKey = marketing;
        TransactionalKey = transactional;
        Client = new HttpClient { BaseAddress = gateway.BaseAddress };
    }

    public SandboxServer Sandbox { get; }

    public KeywardenVault Vault { get; }

    public GatewayServer Gateway { get; }

    public string Directory { get; }

    public CreatedSandboxKey MarketingKey { get; }

    public CreatedSandboxKey TransactionalKey { get; }

    public HttpClient Client { get; }

    public static async Task<GatewayFixture> StartAsync(Action<GatewayOptions>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), ct);
        var account = sandbox.State.CreateAccount("Gateway Test", "us21");
        var marketing = sandbox.State.CreateKey(account.AccountId, SandboxKeyKind.Marketing, "gateway marketing");
        var transactional = sandbox.State.CreateKey(account.AccountId, SandboxKeyKind.Transactional, "gateway transactional");

        var directory = System.IO.Directory.CreateTempSubdirectory("kw-gw-").FullName;
        var store = await SqliteKeywardenStore.OpenAsync(Path.Combine(directory, "keywarden.db"), cancellationToken: ct);
        var source = new MasterKeySource(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(MasterKey.Size)), Path.Combine(directory, "unused.key"));
        var vault = await KeywardenVault.OpenAsync(store, source, new MailchimpKeyVerifier(VerifierHttp), TimeProvider.System, ct);
        await vault.Upstreams.AddAsync(new AddUpstreamRequest("news", UpstreamKind.Marketing, marketing.Key, "gateway marketing", sandbox.BaseAddress, true, AddUpstreamRequest.DefaultMaxKeyAge), ct);
        await vault.Upstreams.AddAsync(new AddUpstreamRequest("mail", UpstreamKind.Transactional, transactional.Key, "gateway transactional", sandbox.BaseAddress, true, AddUpstreamRequest.DefaultMaxKeyAge), ct);

        var options = new GatewayOptions();
        options.Urls.Add("http://127.0.0.1:0");
        configure?.Invoke(options);
        var gateway = await GatewayServer.StartAsync(options, vault, cancellationToken: ct);
        sandbox.State.ClearRequests(); // the verification calls of upstream add
        return new GatewayFixture(sandbox, vault, gateway, directory, marketing, transactional);
    }

    /// <summary>Issues a token on "news" (Marketing) or "mail" (Transactional) and makes the gateway see it now.</summary>
    public async Task<IssuedToken> IssueAsync(string upstream, TokenPolicy? policy = null)
    {
        var issued = await Vault.Tokens.IssueAsync(upstream, "test app", policy ?? new TokenPolicy(), TestContext.Current.CancellationToken);
        await Gateway.RefreshTokensAsync(TestContext.Current.CancellationToken);
        return issued;
    }

    public static AuthenticationHeaderValue Basic(string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anystring:" + token)));

    /// <summary>A request whose target is sent exactly as written (no client-side dot-segment or escape normalisation).</summary>
    public HttpRequestMessage Raw(HttpMethod method, string pathAndQuery, string? token = null)
    {
        var uri = new Uri(Gateway.BaseAddress.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        if (token is not null)
        {
            request.Headers.Authorization = Basic(token);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Vault.DisposeAsync();
        await Sandbox.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // temp directory, best effort
        }
    }
}
