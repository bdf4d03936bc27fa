using Keywarden.Core.Crypto;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="ISecretStore"/>: one master key id per store, and re-wrapping every key in one transaction.</summary>
public abstract class SecretStoreContract : StoreContract
{
    private readonly MasterKey _newMaster = MasterKey.Generate();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _newMaster.Dispose();
    }

    [Fact]
    public async Task MasterKeyId_OfANewStore_IsNull()
    {
        Assert.Null(await Store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task SetMasterKeyId_OnANewStore_RecordsIt()
    {
        await Store.SetMasterKeyIdAsync(Master.Id, Ct);

        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task SetMasterKeyId_SameIdAgain_IsAccepted()
    {
        await Store.SetMasterKeyIdAsync(Master.Id, Ct);

        await Store.SetMasterKeyIdAsync(Master.Id, Ct);

        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task SetMasterKeyId_DifferentFromTheRecordedOne_IsAConflictAndChangesNothing()
    {
        await Store.SetMasterKeyIdAsync(Master.Id, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.SetMasterKeyIdAsync(_newMaster.Id, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Contains(Master.Id, error.Message, StringComparison.Ordinal);
        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task RewrapAll_MovesEveryKeyAndTheStoreToTheNewMasterKey()
    {
        await AddUpstreamsAsync("alerts", "newsletter", "receipts");

        var count = await Store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(Master, _newMaster, id, secret), _newMaster.Id, _ => AuditSamples.Change, Ct);

        Assert.Equal(3, count);
        Assert.Equal(_newMaster.Id, await Store.GetMasterKeyIdAsync(Ct));
        foreach (var upstream in await Store.ListUpstreamsAsync(Ct))
        {
            var key = Assert.Single(await Store.ListKeysAsync(upstream.Id, Ct));
            Assert.Equal(_newMaster.Id, key.Secret.MasterKeyId);
            Assert.Equal(Samples.MarketingKey, EnvelopeCipher.OpenString(_newMaster, key.Id, key.Secret));
        }
    }

    [Fact]
    public async Task RewrapAll_WhenTheCallbackFailsMidway_ChangesNoRowAndNotTheMasterKeyId()
    {
        var before = await AddUpstreamsAsync("alerts", "newsletter", "receipts");
        var calls = 0;

        var error = await Assert.ThrowsAsync<KeywardenCryptoException>(() => Store.RewrapAllAsync(
            (id, secret) => ++calls == 2
                ? throw new KeywardenCryptoException("simulated failure")
                : EnvelopeCipher.Rewrap(Master, _newMaster, id, secret),
            _newMaster.Id,
            _ => AuditSamples.Change,
            Ct));

        Assert.Equal("simulated failure", error.Message);
        Assert.Equal(2, calls);
        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
        foreach (var key in before)
        {
            RecordAssert.Equal(key, Assert.Single(await Store.ListKeysAsync(key.UpstreamId, Ct)));
        }
    }

    [Fact]
    public async Task RewrapAll_WithACallbackThatSealsForAnotherMasterKey_ChangesNothing()
    {
        var before = await AddUpstreamsAsync("newsletter");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(Master, _newMaster, id, secret), "0000000000000000", _ => AuditSamples.Change, Ct));

        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
        RecordAssert.Equal(before[0], Assert.Single(await Store.ListKeysAsync(before[0].UpstreamId, Ct)));
    }

    [Fact]
    public async Task RewrapAll_OnAStoreWithoutKeys_RecordsTheNewMasterKeyId()
    {
        var count = await Store.RewrapAllAsync((_, _) => throw new InvalidOperationException("no key to re-wrap"), _newMaster.Id, _ => AuditSamples.Change, Ct);

        Assert.Equal(0, count);
        Assert.Equal(_newMaster.Id, await Store.GetMasterKeyIdAsync(Ct));
    }

    protected async Task<List<UpstreamKeyRecord>> AddUpstreamsAsync(params string[] names)
    {
        var keys = new List<UpstreamKeyRecord>();
        foreach (var name in names)
        {
            var upstream = Samples.Upstream(name);
            var key = Samples.CurrentKey(upstream, Master);
            await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);
            keys.Add(key);
        }

        return keys;
    }
}
