using Keywarden.Core.Crypto;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

/// <summary>The revision counter the gateway's token cache polls: it moves with every write to upstreams, keys and tokens, and only then.</summary>
public sealed class RevisionTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly UpstreamRecord _upstream = Samples.Upstream();
    private readonly MasterKey _master = MasterKey.Generate();
    private SqliteKeywardenStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await _database.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        _master.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Revision_MovesWithEveryUpstreamKeyAndTokenWrite()
    {
        var seen = new List<long> { await _store.GetRevisionAsync(Ct) };
        async Task Step(Func<Task> write)
        {
            await write();
            seen.Add(await _store.GetRevisionAsync(Ct));
        }

        await Step(() => _store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, _master), Ct));
        await Step(() => _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Ct));
        await Step(() => _store.RevokeTokenAsync("tok_1", Samples.T0, Ct));
        await Step(() => _store.MarkVerifiedAsync("key_newsletter", "acct", Samples.T0, Ct));
        await Step(() => _store.RewrapAllAsync((id, secret) => EnvelopeCipher.Rewrap(_master, _master, id, secret), _master.Id, Ct));
        await Step(() => _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_2"), Ct));
        await Step(() => _store.RemoveUpstreamAsync(_upstream.Name, Samples.T0, Ct));

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"write {i} did not move the revision: {string.Join(", ", seen)}");
        }
    }

    [Fact]
    public async Task Revision_StaysWhenOnlyTheAuditLogOrNothingChanges()
    {
        await _store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, _master), Ct);
        var before = await _store.GetRevisionAsync(Ct);

        await _store.AppendAsync(AuditSamples.Requests(5), Ct);
        await _store.ListTokensAsync(Ct);
        await _store.FindUpstreamAsync(_upstream.Name, Ct);
        Assert.False(await _store.RevokeTokenAsync("tok_missing", Samples.T0, Ct));
        await Assert.ThrowsAsync<StorageException>(() => _store.AddTokenAsync(Samples.Token("up_missing", "tok_1"), Ct));

        Assert.Equal(before, await _store.GetRevisionAsync(Ct));
    }

    [Fact]
    public async Task Revision_OfANewStore_IsZero_AndSurvivesReopening()
    {
        Assert.Equal(0, await _store.GetRevisionAsync(Ct));
        await _store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, _master), Ct);
        var revision = await _store.GetRevisionAsync(Ct);

        var reopened = await _database.OpenAsync();

        Assert.Equal(revision, await reopened.GetRevisionAsync(Ct));
    }
}
