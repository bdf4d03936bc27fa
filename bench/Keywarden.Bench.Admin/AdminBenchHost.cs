using System.Security.Cryptography;
using Keywarden.AdminApi;
using Keywarden.AdminApi.Auth;
using Keywarden.Application;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Mailchimp;
using Keywarden.Sandbox;
using Keywarden.Storage;
using Keywarden.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Keywarden.Bench;

/// <summary>
/// What <c>serve</c> composes, in-process on loopback: the sandbox as Mailchimp (one verified upstream), a SQLite vault in
/// a temporary directory, and the admin API with the real <see cref="OperatorAuthenticator"/> over an
/// <see cref="OperatorService"/> with the production costs. The first admin is created through the setup code, as
/// <c>init</c> and <c>operator join</c> do. Dispose removes it all, the data directory included.
/// </summary>
internal sealed class AdminBenchHost : IAsyncDisposable
{
    public const string AdminName = "bench-admin";
    public const string UpstreamName = "news";

    private readonly HttpClient _verifierHttp;
    private readonly string _totpSecret;

    private AdminBenchHost(
        string dataDirectory, SandboxServer sandbox, HttpClient verifierHttp, KeywardenVault vault, OperatorService operators,
        FakeTimeProvider operatorTime, string password, string totpSecret)
    {
        DataDirectory = dataDirectory;
        Sandbox = sandbox;
        _verifierHttp = verifierHttp;
        Vault = vault;
        Operators = operators;
        OperatorTime = operatorTime;
        Password = password;
        _totpSecret = totpSecret;
    }

    public string DataDirectory { get; }

    public SandboxServer Sandbox { get; }

    public KeywardenVault Vault { get; }

    /// <summary>The operator accounts, with <see cref="OperatorServiceOptions.Default"/>'s Argon2id costs.</summary>
    public OperatorService Operators { get; }

    /// <summary>The operators' clock: a fake one, so that every login has a fresh TOTP step without waiting 30 s.</summary>
    public FakeTimeProvider OperatorTime { get; }

    /// <summary>The admin's password (random, never printed).</summary>
    public string Password { get; }

    public AdminApiServer Api { get; private set; } = null!;

    public static async Task<AdminBenchHost> StartAsync(OperatorServiceOptions operatorOptions, CancellationToken ct)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("kw-bench-admin-").FullName;
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), ct);
        var verifierHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var store = await new StoreFactory([new SqliteStoreProvider()]).OpenAsync(
            "sqlite:" + Path.Combine(dataDirectory, "keywarden.db"), TimeProvider.System, ct);
        using var master = MasterKey.Generate();
        var vault = await KeywardenVault.OpenAsync(
            store, new MasterKeySource(master.ToBase64(), Path.Combine(dataDirectory, "master.key")), new MailchimpKeyVerifier(verifierHttp),
            TimeProvider.System, ct);

        var account = sandbox.State.CreateAccount("Admin Bench", "us21");
        var key = sandbox.State.CreateKey(account.AccountId, SandboxKeyKind.Marketing, UpstreamName);
        await vault.Upstreams.AddAsync(
            new AddUpstreamRequest(UpstreamName, UpstreamKind.Marketing, key.Key, UpstreamName, sandbox.BaseAddress, true, AddUpstreamRequest.DefaultMaxKeyAge), ct);

        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var operators = new OperatorService(vault.Store, vault.MasterKey, time, operatorOptions);
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var actor = AdminActor.Local;
        var setup = await operators.CreateSetupCodeAsync(AdminName, actor, ct);
        await operators.RedeemInvitationAsync(setup.Code, password, actor, ct);
        var enrolment = await operators.BeginEnrolmentAsync(AdminName, password, actor, ct);
        var host = new AdminBenchHost(dataDirectory, sandbox, verifierHttp, vault, operators, time, password, enrolment.Secret);
        await operators.CompleteEnrolmentAsync(AdminName, password, host.NextTotpCode(), actor, ct);

        var options = AdminApiOptions.Parse("127.0.0.1:0", null, null)!;
        host.Api = await AdminApiServer.StartAsync(
            options, vault, operators, new OperatorAuthenticator(operators), MailchimpApis.Catalog, cancellationToken: ct);
        return host;
    }

    /// <summary>Moves the operators' clock to the next 30 s step and returns that step's TOTP code (each step is accepted once).</summary>
    public string NextTotpCode()
    {
        OperatorTime.Advance(TimeSpan.FromSeconds(30));
        return new Totp(Base32Encoding.ToBytes(_totpSecret)).ComputeTotp(OperatorTime.GetUtcNow().UtcDateTime);
    }

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        await Vault.DisposeAsync();
        await Sandbox.DisposeAsync();
        _verifierHttp.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
