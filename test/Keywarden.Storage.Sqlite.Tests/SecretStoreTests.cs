using Keywarden.Core.Crypto;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class SecretStoreTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly MasterKey _oldMaster = MasterKey.Generate();
    private readonly MasterKey _newMaster = MasterKey.Generate();
    private SqliteKeywardenStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await _database.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _oldMaster.Dispose();
        _newMaster.Dispose();
    }

    [Fact]
    public async Task MasterKeyId_OfANewStore_IsNull()
    {
        Assert.Null(await _store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task SetMasterKeyId_OnANewStore_RecordsIt()
    {
        await _store.SetMasterKeyIdAsync(_oldMaster.Id, Ct);

        Assert.Equal(_oldMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task SetMasterKeyId_SameIdAgain_IsAccepted()
    {
        await _store.SetMasterKeyIdAsync(_oldMaster.Id, Ct);

        await _store.SetMasterKeyIdAsync(_oldMaster.Id, Ct);

        Assert.Equal(_oldMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task SetMasterKeyId_DifferentFromTheRecordedOne_IsAConflictAndChangesNothing()
    {
        await _store.SetMasterKeyIdAsync(_oldMaster.Id, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => _store.SetMasterKeyIdAsync(_newMaster.Id, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Contains(_oldMaster.Id, error.Message, StringComparison.Ordinal);
        Assert.Equal(_oldMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task RewrapAll_MovesEveryKeyAndTheStoreToTheNewMasterKey()
    {
        await AddUpstreamsAsync("alerts", "newsletter", "receipts");

        var count = await _store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(_oldMaster, _newMaster, id, secret), _newMaster.Id, Ct);

        Assert.Equal(3, count);
        Assert.Equal(_newMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
        foreach (var upstream in await _store.ListUpstreamsAsync(Ct))
        {
            var key = Assert.Single(await _store.ListKeysAsync(upstream.Id, Ct));
            Assert.Equal(_newMaster.Id, key.Secret.MasterKeyId);
            Assert.Equal(Samples.MarketingKey, EnvelopeCipher.OpenString(_newMaster, key.Id, key.Secret));
        }
    }

    [Fact]
    public async Task RewrapAll_WhenTheCallbackFailsMidway_ChangesNoRowAndNotTheMasterKeyId()
    {
        var before = await AddUpstreamsAsync("alerts", "newsletter", "receipts");
        var calls = 0;

        var error = await Assert.ThrowsAsync<KeywardenCryptoException>(() => _store.RewrapAllAsync(
            (id, secret) => ++calls == 2
                ? throw new KeywardenCryptoException("simulated failure")
                : EnvelopeCipher.Rewrap(_oldMaster, _newMaster, id, secret),
            _newMaster.Id,
            Ct));

        Assert.Equal("simulated failure", error.Message);
        Assert.Equal(2, calls);
        Assert.Equal(_oldMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
        foreach (var key in before)
        {
            RecordAssert.Equal(key, Assert.Single(await _store.ListKeysAsync(key.UpstreamId, Ct)));
        }
    }

    [Fact]
    public async Task RewrapAll_WithACallbackThatSealsForAnotherMasterKey_ChangesNothing()
    {
        var before = await AddUpstreamsAsync("newsletter");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(_oldMaster, _newMaster, id, secret), "0000000000000000", Ct));

        Assert.Equal(_oldMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
        RecordAssert.Equal(before[0], Assert.Single(await _store.ListKeysAsync(before[0].UpstreamId, Ct)));
    }

    [Fact]
    public async Task RewrapAll_LeavesNoCopyOfTheOldWrappedDataKeysOnDisk()
    {
        var before = await AddUpstreamsAsync("newsletter");

        await _store.RewrapAllAsync((id, secret) => EnvelopeCipher.Rewrap(_oldMaster, _newMaster, id, secret), _newMaster.Id, Ct);

        Assert.True(_database.ReadAllBytesOnDisk().AsSpan().IndexOf(before[0].Secret.WrappedDataKey) < 0);
    }

    [Fact]
    public async Task RewrapAll_OnAStoreWithoutKeys_RecordsTheNewMasterKeyId()
    {
        var count = await _store.RewrapAllAsync((_, _) => throw new InvalidOperationException("no key to re-wrap"), _newMaster.Id, Ct);

        Assert.Equal(0, count);
        Assert.Equal(_newMaster.Id, await _store.GetMasterKeyIdAsync(Ct));
    }

    private async Task<List<UpstreamKeyRecord>> AddUpstreamsAsync(params string[] names)
    {
        var keys = new List<UpstreamKeyRecord>();
        foreach (var name in names)
        {
            var upstream = Samples.Upstream(name);
            var key = Samples.CurrentKey(upstream, _oldMaster);
            await _store.AddUpstreamAsync(upstream, key, Ct);
            keys.Add(key);
        }

        return keys;
    }
}
