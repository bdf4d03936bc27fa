using System.Net.Http.Json;
using System.Security.Cryptography;
using Keywarden.Application;
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Gateway;
using Keywarden.Mailchimp;
using Keywarden.Mailchimp.Gateway;
using Keywarden.Sandbox;
using Keywarden.Storage;
using Keywarden.Gateway.Audit;
using Keywarden.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keywarden.Testing;

/// <summary>
/// The real thing on loopback, for every test that starts the product: the sandbox as Mailchimp, a vault (data
/// directory, master key and a store of <see cref="KeywardenHostOptions.Engine"/>, opened through the product's
/// <see cref="StoreFactory"/>) holding keys of the sandbox, and the gateway in front of it. Dispose removes it all,
/// the data directory included.
/// </summary>
public sealed class KeywardenHost : IAsyncDisposable
{
    private readonly Dictionary<string, CreatedSandboxKey> _keys = new(StringComparer.Ordinal);
    private HttpClient? _verifierHttp;
    private GatewayServer? _gateway;
    private HttpClient? _client;

    private KeywardenHost(KeywardenHostOptions options, string dataDirectory)
    {
        Options = options;
        DataDirectory = dataDirectory;
    }

    public KeywardenHostOptions Options { get; }

    /// <summary>The vault's data directory (a temporary one, removed on dispose): the database file, the audit spool.</summary>
    public string DataDirectory { get; }

    /// <summary>Where the store is, as the factory takes it: <c>sqlite:DIR/keywarden.db</c>.</summary>
    public string StoreLocation => Options.Engine.LocationFor(DataDirectory);

    public SandboxServer Sandbox { get; private set; } = null!;

    /// <summary>The one sandbox account every key of the host belongs to.</summary>
    public SandboxAccount Account { get; private set; } = null!;

    public KeywardenVault Vault { get; private set; } = null!;

    /// <summary>The vault's store, for reading the audit log and revision as the gateway sees them.</summary>
    public IKeywardenStore Store => Vault.Store;

    /// <summary>The verifier the vault checks keys with (against the sandbox), for services a test builds on the vault.</summary>
    public MailchimpKeyVerifier Verifier { get; private set; } = null!;

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("this host was started without a gateway");

    /// <summary>A client of the gateway's API listener.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("this host was started without a gateway");

    /// <summary>The sandbox key stored as upstream <c>news</c> (Marketing, by default).</summary>
    public CreatedSandboxKey MarketingKey => KeyOf("news");

    /// <summary>The sandbox key stored as upstream <c>mail</c> (Transactional, by default).</summary>
    public CreatedSandboxKey TransactionalKey => KeyOf("mail");

    /// <summary>What the sandbox received since start (the verifications of the start excluded), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Received => Sandbox.State.Requests;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts the default host (both upstreams and the gateway) with these gateway settings.</summary>
    /// <param name="configure">Gateway options beyond the loopback listeners.</param>
    /// <param name="time">The gateway's clock (see <see cref="KeywardenHostOptions.GatewayTime"/>).</param>
    /// <param name="loggerFactory">Where the gateway logs (nowhere by default).</param>
    /// <param name="audit">Audit queue settings.</param>
    /// <param name="services">Services added to the gateway's (see <see cref="KeywardenHostOptions.GatewayServices"/>).</param>
    public static Task<KeywardenHost> StartAsync(
        Action<GatewayOptions>? configure = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, AuditQueueOptions? audit = null,
        Action<IServiceCollection>? services = null) =>
        StartAsync(new KeywardenHostOptions { ConfigureGateway = configure, GatewayTime = time, LoggerFactory = loggerFactory, Audit = audit, GatewayServices = services });

    public static async Task<KeywardenHost> StartAsync(KeywardenHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new KeywardenHost(options, Directory.CreateTempSubdirectory("kw-host-").FullName);
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        var ct = Ct;
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions(), ct);
        Account = Sandbox.State.CreateAccount(Options.AccountName, "us21");

        _verifierHttp = new HttpClient { Timeout = Options.VerifyTimeout };
        Verifier = new MailchimpKeyVerifier(_verifierHttp);
        var store = await Options.Engine.OpenAsync(StoreLocation, ct);
        using var master = MasterKey.Generate();
        Vault = await KeywardenVault.OpenAsync(store, new MasterKeySource(master.ToBase64(), Path.Combine(DataDirectory, "master.key")), Verifier, TimeProvider.System, ct);

        foreach (var upstream in Options.Upstreams)
        {
            var key = Sandbox.State.CreateKey(Account.AccountId, ToSandbox(upstream.Kind), upstream.KeyName);
            await Vault.Upstreams.AddAsync(
                new AddUpstreamRequest(upstream.Name, upstream.Kind, key.Key, upstream.KeyName, Sandbox.BaseAddress, true, AddUpstreamRequest.DefaultMaxKeyAge), ct);
            _keys[upstream.Name] = key;
        }

        if (Options.StartGateway)
        {
            var gateway = new GatewayOptions { AuditSpoolDirectory = Path.Combine(DataDirectory, "audit-spool") }; // as serve has it
            gateway.Urls.Add("http://127.0.0.1:0");
            gateway.MetricsUrls.Add("http://127.0.0.1:0");
            Options.ConfigureGateway?.Invoke(gateway);
            _gateway = await GatewayServer.StartAsync(
                gateway, Vault, Options.GatewayTime, Options.LoggerFactory, Options.Audit,
                s =>
                {
                    s.AddMailchimpApis();
                    Options.GatewayServices?.Invoke(s);
                },
                ct);
            _client = Loopback.Client(_gateway.BaseAddress);
        }

        Sandbox.State.ClearRequests(); // the verifications of the upstreams added above
    }

    /// <summary>The sandbox key stored on start as upstream <paramref name="upstream"/>.</summary>
    public CreatedSandboxKey KeyOf(string upstream) =>
        _keys.TryGetValue(upstream, out var key) ? key : throw new InvalidOperationException($"this host stored no upstream '{upstream}'");

    public static SandboxKeyKind ToSandbox(UpstreamKind kind) => kind == UpstreamKind.Marketing ? SandboxKeyKind.Marketing : SandboxKeyKind.Transactional;

    /// <summary>Issues a token on an upstream and, with a gateway, makes the gateway see it now.</summary>
    public async Task<IssuedToken> IssueAsync(string upstream, TokenPolicy? policy = null)
    {
        var issued = await Vault.Tokens.IssueAsync(upstream, "test app", policy ?? new TokenPolicy(), Ct);
        await RefreshAsync();
        return issued;
    }

    /// <summary>Issues a token and returns only its secret value.</summary>
    public async Task<string> TokenAsync(string upstream, TokenPolicy? policy = null) => (await IssueAsync(upstream, policy)).Token.Value;

    /// <summary>Revokes a token and, with a gateway, makes the gateway see it now.</summary>
    public async Task RevokeAsync(IssuedToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        await Vault.Tokens.RevokeAsync(token.Record.Id, Ct);
        await RefreshAsync();
    }

    /// <summary>
    /// Stores an upstream that is not the sandbox (a scripted server, a closed port) under a made-up key, unverified,
    /// and makes the gateway see it. Returns the made-up key.
    /// </summary>
    public async Task<string> AddUpstreamAsync(string name, UpstreamKind kind, Uri baseUrl)
    {
        var key = kind == UpstreamKind.Marketing
            ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "-us21"
            : "md-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_')[..22];
        await Vault.Upstreams.AddAsync(new AddUpstreamRequest(name, kind, key, name, baseUrl, false, AddUpstreamRequest.DefaultMaxKeyAge), Ct);
        await RefreshAsync();
        return key;
    }

    /// <summary>Every audit record in the store, once the gateway (if any) has written all it accepted.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.FlushAuditAsync(Ct);
        }

        var records = new List<AuditRecord>();
        await foreach (var record in Store.ReadAllAsync(Ct))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>A request whose target is sent exactly as written (no client-side dot-segment or escape normalisation).</summary>
    public HttpRequestMessage Raw(HttpMethod method, string pathAndQuery, string? token = null)
    {
        var uri = new Uri(Gateway.BaseAddress.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        if (token is not null)
        {
            request.Headers.Authorization = BasicAuth.Header(token);
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

    /// <summary>Sends to the gateway and reads the whole answer.</summary>
    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
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

    /// <summary>/metrics, from the gateway's metrics listener.</summary>
    public Task<string> MetricsAsync() => Client.GetStringAsync(new Uri(Gateway.MetricsAddresses[0], "metrics"), Ct);

    /// <summary>The value of an unlabelled gauge in /metrics.</summary>
    public async Task<double> GaugeAsync(string name)
    {
        var line = (await MetricsAsync()).Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The SQLite database file (SQLite engine only): for tests that hold its lock or write to it as another process would.</summary>
    public string SqlitePath => Store is SqliteKeywardenStore sqlite
        ? sqlite.DatabasePath
        : throw new NotSupportedException($"a database file exists for the sqlite engine only, not {Options.Engine}");

    /// <summary>Runs SQL on the SQLite database file through a connection of its own, as another process would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SqlitePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (Vault is not null)
        {
            await Vault.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        _verifierHttp?.Dispose();
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(DataDirectory);
    }

    private Task RefreshAsync() => _gateway is null ? Task.CompletedTask : _gateway.RefreshTokensAsync(Ct);
}
