using Keywarden.Core.Crypto;
using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class SecretStoreTests : SecretStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    [Fact]
    public async Task RewrapAll_LeavesNoCopyOfTheOldWrappedDataKeysOnDisk()
    {
        var before = await AddUpstreamsAsync("newsletter");
        using var newMaster = MasterKey.Generate();

        await Store.RewrapAllAsync((id, secret) => EnvelopeCipher.Rewrap(Master, newMaster, id, secret), newMaster.Id, _ => AuditSamples.Change, Ct);

        Assert.True(_database.ReadAllBytesOnDisk().AsSpan().IndexOf(before[0].Secret.WrappedDataKey) < 0);
    }
}
