using Keywarden.Application;
using Keywarden.Core.Keys;
using Keywarden.Core.Rotation;
using Keywarden.Sandbox;
using Keywarden.Storage;
using Keywarden.Testing;

namespace Keywarden.Rotation.Tests.Support;

/// <summary>
/// A <see cref="KeywardenHost"/> without the gateway: the sandbox, a vault, and upstream <c>news</c> holding the sandbox
/// key "old"; plus the rotation service's sinks and the steps it reported.
/// </summary>
internal sealed class RotationHarness : IAsyncDisposable
{
    private RotationHarness(KeywardenHost host, UpstreamKind kind)
    {
        Host = host;
        Kind = kind;
    }

    public KeywardenHost Host { get; }

    public SandboxServer Sandbox => Host.Sandbox;

    public string Directory => Host.DataDirectory;

    public KeywardenVault Vault => Host.Vault;

    public SandboxAccount Account => Host.Account;

    public CreatedSandboxKey OldKey => Host.KeyOf("news");

    public UpstreamKind Kind { get; }

    public FileSinkFactory Sinks { get; } = new();

    public List<RotationState> Steps { get; } = [];

    /// <param name="kind">The upstream's API.</param>
    /// <param name="verifyTimeout">How long a verification may take (see <see cref="KeywardenHostOptions.VerifyTimeout"/>).</param>
    public static async Task<RotationHarness> StartAsync(UpstreamKind kind = UpstreamKind.Marketing, TimeSpan? verifyTimeout = null)
    {
        var options = new KeywardenHostOptions { AccountName = "Rotation test", Upstreams = [new("news", kind, "old")], StartGateway = false };
        if (verifyTimeout is { } timeout)
        {
            options.VerifyTimeout = timeout;
        }

        return new RotationHarness(await KeywardenHost.StartAsync(options), kind);
    }

    /// <param name="actor">Who the rotation's steps are recorded as.</param>
    /// <param name="time">The service's clock (confirm's waits between polls); the system clock by default.</param>
    public RotationService Service(string actor = "tester", TimeProvider? time = null) =>
        new(Vault, Host.Verifier, Sinks, time ?? TimeProvider.System, actor, Steps.Add);

    public CreatedSandboxKey NewKey(string? accountId = null) =>
        Sandbox.State.CreateKey(accountId ?? Account.AccountId, KeywardenHost.ToSandbox(Kind), "new");

    public async Task<UpstreamRecord> UpstreamAsync() =>
        (await Vault.Store.FindUpstreamAsync("news", TestContext.Current.CancellationToken))!;

    public async Task<IReadOnlyList<UpstreamKeyRecord>> KeysAsync() =>
        await Vault.Store.ListKeysAsync((await UpstreamAsync()).Id, TestContext.Current.CancellationToken);

    public async Task<string> CurrentKeyValueAsync()
    {
        var current = (await KeysAsync()).Single(k => k.Slot == KeySlot.Current);
        return Vault.Upstreams.Open(current, Kind).Value;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
