using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class UpstreamStoreTests : UpstreamStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    [Fact]
    public async Task ListKeys_PutsCurrentFirstThenPendingThenPreviousNewestFirst()
    {
        var upstream = Samples.Upstream();
        await Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master, id: "key_c"), AuditSamples.Change, Ct);
        await InsertKeyRowAsync("key_old", upstream.Id, "previous", Samples.T0);
        await InsertKeyRowAsync("key_p", upstream.Id, "pending", Samples.T0);
        await InsertKeyRowAsync("key_older", upstream.Id, "previous", Samples.T0.AddDays(-1));
        await InsertKeyRowAsync("key_newer", upstream.Id, "previous", Samples.T0.AddDays(1));

        var keys = await Store.ListKeysAsync(upstream.Id, Ct);

        Assert.Equal(["key_c", "key_p", "key_newer", "key_old", "key_older"], keys.Select(key => key.Id));
    }

    [Fact]
    public async Task Schema_AllowsOneCurrentAndOnePendingKeyPerUpstream()
    {
        var upstream = Samples.Upstream();
        await Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master), AuditSamples.Change, Ct);
        await InsertKeyRowAsync("key_p1", upstream.Id, "pending", Samples.T0);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => InsertKeyRowAsync("key_p2", upstream.Id, "pending", Samples.T0));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => InsertKeyRowAsync("key_c2", upstream.Id, "current", Samples.T0));
    }

    [Fact]
    public async Task RemoveUpstream_LeavesNoCopyOfItsCiphertextsOnDisk()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, Master);
        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);
        Assert.True(Contains(_database.ReadAllBytesOnDisk(), key.Secret.Ciphertext));

        await Store.RemoveUpstreamAsync(upstream.Name, Samples.T0, AuditSamples.Change, Ct);

        var disk = _database.ReadAllBytesOnDisk();
        Assert.False(Contains(disk, key.Secret.Ciphertext));
        Assert.False(Contains(disk, key.Secret.WrappedDataKey));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private Task<object?> InsertKeyRowAsync(string id, string upstreamId, string slot, DateTimeOffset createdAt) =>
        _database.ScalarAsync(
            """
            INSERT INTO upstream_keys (id, upstream_id, slot, prefix, fingerprint, ciphertext, wrapped_data_key, master_key_id, created_at)
            VALUES ($id, $upstream_id, $slot, '0123', 'ff', x'01', x'02', $master, $created_at)
            """,
            ("$id", id),
            ("$upstream_id", upstreamId),
            ("$slot", slot),
            ("$master", Master.Id),
            ("$created_at", createdAt.ToUnixTimeMilliseconds()));
}
