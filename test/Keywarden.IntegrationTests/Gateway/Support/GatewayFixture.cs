using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Keywarden.Application;
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Gateway;
using Keywarden.Mailchimp;
using Keywarden.Mailchimp.Gateway;
using Keywarden.Sandbox;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keywarden.IntegrationTests.Gateway;

/// <summary>
/// The real thing on loopback: the sandbox as Mailchimp, a SQLite vault in a temp directory holding
/// one Marketing and one Transactional key of the sandbox, and the gateway in front of it.
/// </summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private static readonly HttpClient VerifierHttp = new();

    private GatewayFixture(
        SandboxServer sandbox, KeywardenVault vault, SqliteKeywardenStore store, GatewayServer gateway, string directory,
        CreatedSandboxKey marketing, CreatedSandboxKey transactional)
    {
        Sandbox = sandbox;
        Vault = vault;
        Store = store;
        Gateway = gateway;
        Directory = directory;
        MarketingKey = marketing;
        TransactionalKey = transactional;
        Client = new HttpClient { BaseAddress = gateway.BaseAddress };
    }

    public SandboxServer Sandbox { get; }

    public KeywardenVault Vault { get; }

    /// <summary>The vault's store, for reading the audit log and revision as the gateway sees them.</summary>
    public SqliteKeywardenStore Store { get; }

    public GatewayServer Gateway { get; }

    public string Directory { get; }

    public CreatedSandboxKey MarketingKey { get; }

    public CreatedSandboxKey TransactionalKey { get; }

    public HttpClient Client { get; }

    /// <summary>What the sandbox received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Received => Sandbox.State.Requests;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="configure">Gateway options beyond the loopback listener.</param>
    /// <param name="time">The gateway's clock (a FakeTimeProvider for expiry and rate tests); the vault and sandbox keep the system clock.</param>
    /// <param name="loggerFactory">Where the gateway logs (none by default).</param>
    /// <param name="audit">Audit queue settings; by default fail-open follows <see cref="GatewayOptions.AuditFailOpen"/>.</param>
    /// <param name="services">Services added after the gateway's own and Mailchimp's APIs (an outcome observer).</param>
    public static async Task<GatewayFixture> StartAsync(
        Action<GatewayOptions>? configure = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, AuditQueueOptions? audit = null,
        Action<IServiceCollection>? services = null)
    {
        var ct = Ct;
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

        var options = new GatewayOptions { AuditSpoolDirectory = Path.Combine(directory, "audit-spool") }; // as serve has it
        options.Urls.Add("http://127.0.0.1:0");
        options.MetricsUrls.Add("http://127.0.0.1:0");
        configure?.Invoke(options);
        var gateway = await GatewayServer.StartAsync(
            options, vault, time, loggerFactory, audit,
            s =>
            {
                s.AddMailchimpApis();
                services?.Invoke(s);
            },
            ct);
        sandbox.State.ClearRequests(); // the verification calls of upstream add
        return new GatewayFixture(sandbox, vault, store, gateway, directory, marketing, transactional);
    }

    /// <summary>Issues a token on "news" (Marketing) or "mail" (Transactional) and makes the gateway see it now.</summary>
    public async Task<IssuedToken> IssueAsync(string upstream, TokenPolicy? policy = null)
    {
        var issued = await Vault.Tokens.IssueAsync(upstream, "test app", policy ?? new TokenPolicy(), Ct);
        await Gateway.RefreshTokensAsync(Ct);
        return issued;
    }

    /// <summary>Issues a token and returns only its secret value.</summary>
    public async Task<string> TokenAsync(string upstream, TokenPolicy? policy = null) => (await IssueAsync(upstream, policy)).Token.Value;

    /// <summary>
    /// Stores an upstream that is not the sandbox (a scripted server, a closed port) under a made-up key, unverified,
    /// and makes the gateway see it. Returns the made-up key.
    /// </summary>
    public async Task<string> AddUpstreamAsync(string name, UpstreamKind kind, Uri baseUrl)
    {
        var key = kind == UpstreamKind.Marketing
            ? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) + "-us21"
            : "md-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_')[..22];
        await Vault.Upstreams.AddAsync(new AddUpstreamRequest(name, kind, key, name, baseUrl, false, AddUpstreamRequest.DefaultMaxKeyAge), Ct);
        await Gateway.RefreshTokensAsync(Ct);
        return key;
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

    /// <summary>A Marketing request with a JSON body.</summary>
    public HttpRequestMessage Json(HttpMethod method, string pathAndQuery, string? token, object body)
    {
        var request = Raw(method, pathAndQuery, token);
        request.Content = JsonContent.Create(body);
        return request;
    }

    /// <summary>Sends and reads the whole answer.</summary>
    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Client.SendAsync(request, Ct);
            return await Answer.ReadAsync(response);
        }
    }

    /// <summary>GET with the token as Basic password.</summary>
    public Task<Answer> GetAsync(string pathAndQuery, string token) => SendAsync(Raw(HttpMethod.Get, pathAndQuery, token));

    /// <summary>A Transactional call: POST of a JSON body (the token goes in the body's "key").</summary>
    public async Task<Answer> PostTransactionalAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body, Ct);
        return await Answer.ReadAsync(response);
    }

    /// <summary>/metrics, from the metrics listener.</summary>
    public Task<string> MetricsAsync() => Client.GetStringAsync(new Uri(Gateway.MetricsAddresses[0], "metrics"), Ct);

    /// <summary>Every audit record in the store once the gateway has written all it accepted.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync()
    {
        await Gateway.FlushAuditAsync(Ct);
        var records = new List<AuditRecord>();
        await foreach (var record in Store.ReadAllAsync(Ct))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Runs SQL on the database file through a connection of its own, as another process would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Store.DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after a deadline instead of hoping a fixed sleep was long enough.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(10, Ct);
        }
    }

    /// <summary>The value of an unlabelled gauge in /metrics.</summary>
    public async Task<double> GaugeAsync(string name)
    {
        var line = (await MetricsAsync()).Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Vault.DisposeAsync();
        await Sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
