using Keywarden.Application;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Rotation;
using Keywarden.Mailchimp;
using Keywarden.Sandbox;
using Keywarden.Storage;
using Keywarden.Storage.Sqlite;

namespace Keywarden.Rotation.Tests.Support;

/// <summary>A real sandbox on loopback, a real SQLite vault in a temporary directory, and upstream <c>news</c> holding a sandbox key.</summary>
internal sealed class RotationHarness : IAsyncDisposable
{
    private RotationHarness(SandboxServer sandbox, string directory, KeywardenVault vault, HttpClient http, SandboxAccount account, CreatedSandboxKey oldKey, UpstreamKind kind)
    {
        Sandbox = sandbox;
        Directory = directory;
        Vault = vault;
        Http = http;
        Account = account;
        OldKey = oldKey;
        Kind = kind;
    }

    public SandboxServer Sandbox { get; }

    public string Directory { get; }

    public KeywardenVault Vault { get; }

    public HttpClient Http { get; }

    public SandboxAccount Account { get; }

    public CreatedSandboxKey OldKey { get; }

    public UpstreamKind Kind { get; }

    public FileSinkFactory Sinks { get; } = new();

    public List<RotationState> Steps { get; } = [];

    /// <param name="kind">The upstream's API.</param>
    /// <param name="verifyTimeout">How long a verification may take (default 30 s: the first one also pays for JIT and
    /// connection set-up on a loaded 2-core machine); a test of a slow upstream sets it below the sandbox's delay.</param>
    public static async Task<RotationHarness> StartAsync(UpstreamKind kind = UpstreamKind.Marketing, TimeSpan? verifyTimeout = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), ct);
        var directory = System.IO.Directory.CreateTempSubdirectory("kw-rotation-test-").FullName;
        var http = new HttpClient { Timeout = verifyTimeout ?? TimeSpan.FromSeconds(30) };
        var store = await SqliteKeywardenStore.OpenAsync(Path.Combine(directory, "keywarden.db"), cancellationToken: ct);
        using var master = MasterKey.Generate();
        var vault = await KeywardenVault.OpenAsync(
            store, new MasterKeySource(master.ToBase64(), Path.Combine(directory, "master.key")), new MailchimpKeyVerifier(http), TimeProvider.System, ct);
        var account = sandbox.State.CreateAccount("Rotation test", "us21");
        var oldKey = sandbox.State.CreateKey(account.AccountId, ToSandbox(kind), "old");
        await vault.Upstreams.AddAsync(new AddUpstreamRequest("news", kind, oldKey.Key, "old", sandbox.BaseAddress, true, AddUpstreamRequest.DefaultMaxKeyAge), ct);
        return new RotationHarness(sandbox, directory, vault, http, account, oldKey, kind);
    }

    public static SandboxKeyKind ToSandbox(UpstreamKind kind) => kind == UpstreamKind.Marketing ? SandboxKeyKind.Marketing : SandboxKeyKind.Transactional;

    public RotationService Service(string actor = "tester") =>
        new(Vault, new MailchimpKeyVerifier(Http), Sinks, TimeProvider.System, actor, Steps.Add);

    public CreatedSandboxKey NewKey(string? accountId = null) =>
        Sandbox.State.CreateKey(accountId ?? Account.AccountId, ToSandbox(Kind), "new");

    public async Task<UpstreamRecord> UpstreamAsync() =>
        (await Vault.Store.FindUpstreamAsync("news", TestContext.Current.CancellationToken))!;

    public async Task<IReadOnlyList<UpstreamKeyRecord>> KeysAsync() =>
        await Vault.Store.ListKeysAsync((await UpstreamAsync()).Id, TestContext.Current.CancellationToken);

    public async Task<string> CurrentKeyValueAsync()
    {
        var current = (await KeysAsync()).Single(k => k.Slot == KeySlot.Current);
        return Vault.Upstreams.Open(current, Kind).Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Vault.DisposeAsync();
        Http.Dispose();
        await Sandbox.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
