using System.Security.Cryptography;
using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Storage;
using Keywarden.Storage.Tests.Support;

namespace Keywarden.Application.Tests;

public sealed class GatewaySnapshotSourceTests : IAsyncLifetime
{
    private const string MarketingKey = "0123456789abcdef0123456789abcdef-us21";
    private const string TransactionalKey = "md-abcdefghijklmnopqrstuv";
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);
    private readonly MasterKey _master = MasterKey.Generate();
    private TempStore _temp = null!;

    private static readonly AuditEntry Change = AuditEntry.ForAdmin(T0, "alice", "test.change", "scene");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _temp = await TempStore.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _temp.DisposeAsync();
        _master.Dispose();
    }

    [Fact]
    public async Task Load_OpensEveryUpstreamsCurrentKey_AndCarriesTheTokensAtTheStoresRevision()
    {
        var newsletter = Upstream("newsletter", UpstreamKind.Marketing);
        var receipts = Upstream("receipts", UpstreamKind.Transactional);
        await _temp.Store.AddUpstreamAsync(newsletter, Key(newsletter, MarketingKey), Change, Ct);
        await _temp.Store.AddUpstreamAsync(receipts, Key(receipts, TransactionalKey), Change, Ct);
        await _temp.Store.AddTokenAsync(Token(newsletter, "tok_1"), Change, Ct);
        await _temp.Store.AddTokenAsync(Token(newsletter, "tok_2"), Change, Ct);
        var source = new GatewaySnapshotSource(_temp.Store, _master);

        var snapshot = await source.LoadAsync(Ct);

        Assert.Equal(await _temp.Store.GetRevisionAsync(Ct), snapshot.Revision);
        Assert.Equal(
            [("newsletter", "key_newsletter", MarketingKey), ("receipts", "key_receipts", TransactionalKey)],
            snapshot.Upstreams.Select(u => (u.Upstream.Name, u.KeyId, u.Key.Value)));
        Assert.Equal(UpstreamKind.Transactional, snapshot.Upstreams[1].Key.Kind);
        Assert.Empty(snapshot.Unavailable);
        Assert.Equal(["tok_2", "tok_1"], snapshot.Tokens.Select(t => t.Id));
        Assert.Same(_temp.Store, source.Changes);
    }

    [Fact]
    public async Task Load_AnUpstreamWhoseKeyCannotBeUsed_IsReportedWithoutItsSecret_AndTheOthersStillLoad()
    {
        using var other = MasterKey.Generate();
        var good = Upstream("good", UpstreamKind.Marketing);
        var foreign = Upstream("foreign", UpstreamKind.Marketing);
        var garbled = Upstream("garbled", UpstreamKind.Marketing);
        var keyless = Upstream("keyless", UpstreamKind.Marketing);
        var store = new FixedSnapshots(new StoreSnapshot(
            7,
            [
                new SnapshotUpstream(foreign, Key(foreign, MarketingKey, other)),
                new SnapshotUpstream(garbled, Key(garbled, "not-a-mailchimp-key")),
                new SnapshotUpstream(good, Key(good, MarketingKey)),
                new SnapshotUpstream(keyless, null),
            ],
            [Token(good, "tok_1")]));

        var snapshot = await new GatewaySnapshotSource(store, store, _master).LoadAsync(Ct);

        Assert.Equal(7, snapshot.Revision);
        Assert.Equal("good", Assert.Single(snapshot.Upstreams).Upstream.Name);
        Assert.Equal(["foreign", "garbled", "keyless"], snapshot.Unavailable.Select(u => u.Upstream.Name));
        Assert.Equal("it has no current key", snapshot.Unavailable[2].Problem);
        Assert.All(snapshot.Unavailable, u => Assert.DoesNotContain("not-a-mailchimp-key", u.Problem, StringComparison.Ordinal));
        Assert.All(snapshot.Unavailable, u => Assert.DoesNotContain(MarketingKey, u.Problem, StringComparison.Ordinal));
        Assert.Equal("tok_1", Assert.Single(snapshot.Tokens).Id);
    }

    private static UpstreamRecord Upstream(string name, UpstreamKind kind) =>
        new("up_" + name, name, kind, kind == UpstreamKind.Marketing ? "us21" : null, null, null, TimeSpan.FromDays(90), T0);

    private static TokenRecord Token(UpstreamRecord upstream, string id) =>
        new(id, "app", upstream.Id, SHA256.HashData(Encoding.UTF8.GetBytes(id)), new TokenPolicy(), T0, null);

    private UpstreamKeyRecord Key(UpstreamRecord upstream, string secret, MasterKey? sealedWith = null)
    {
        var id = "key_" + upstream.Name;
        return new UpstreamKeyRecord(
            id, upstream.Id, KeySlot.Current, secret[..4], null, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))),
            EnvelopeCipher.Seal(sealedWith ?? _master, id, secret), T0, null);
    }

    /// <summary>A store that always reads the same snapshot and never changes.</summary>
    private sealed class FixedSnapshots(StoreSnapshot snapshot) : ISnapshotStore, IStoreChanges
    {
        public Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default) => Task.FromResult(snapshot);

        public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(snapshot.Revision);

        public Task<long> WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("loading a snapshot never waits");
    }
}
