using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class UpstreamStoreTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly MasterKey _master = MasterKey.Generate();
    private SqliteKeywardenStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await _database.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _master.Dispose();
    }

    [Fact]
    public async Task AddUpstream_ThenRead_ReturnsEveryFieldOfTheUpstreamAndItsKey()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, _master);

        await _store.AddUpstreamAsync(upstream, key, Ct);

        Assert.Equal(upstream, await _store.FindUpstreamAsync(upstream.Name, Ct));
        Assert.Equal(upstream, await _store.GetUpstreamAsync(upstream.Id, Ct));
        RecordAssert.Equal(key, Assert.Single(await _store.ListKeysAsync(upstream.Id, Ct)));
    }

    [Fact]
    public async Task AddUpstream_WithOnlyTheRequiredFields_ReadsBackTheNulls()
    {
        var upstream = Samples.Upstream("mandrill") with
        {
            Kind = UpstreamKind.Transactional,
            Datacenter = null,
            BaseUrl = null,
            AccountId = null,
        };
        var key = Samples.CurrentKey(upstream, _master) with { Label = null, VerifiedAt = null };

        await _store.AddUpstreamAsync(upstream, key, Ct);

        Assert.Equal(upstream, await _store.FindUpstreamAsync("mandrill", Ct));
        RecordAssert.Equal(key, Assert.Single(await _store.ListKeysAsync(upstream.Id, Ct)));
    }

    [Fact]
    public async Task FindKeyByFingerprint_FindsTheStoredKeyByItsHash_InAnyCase_AndNothingElse()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, _master);
        await _store.AddUpstreamAsync(upstream, key, Ct);

        RecordAssert.Equal(key, (await _store.FindKeyByFingerprintAsync(key.Fingerprint, Ct))!);
        RecordAssert.Equal(key, (await _store.FindKeyByFingerprintAsync(key.Fingerprint.ToUpperInvariant(), Ct))!);
        Assert.Null(await _store.FindKeyByFingerprintAsync(new string('0', 64), Ct));
    }

    [Fact]
    public async Task StoredKey_StillOpensWithTheMasterKey()
    {
        var upstream = Samples.Upstream();
        await _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master), Ct);

        var stored = Assert.Single(await _store.ListKeysAsync(upstream.Id, Ct));

        Assert.Equal(Samples.MarketingKey, EnvelopeCipher.OpenString(_master, stored.Id, stored.Secret));
    }

    [Fact]
    public async Task AddUpstream_WithATakenName_IsAConflictThatNamesTheUpstream()
    {
        var first = Samples.Upstream("newsletter");
        await _store.AddUpstreamAsync(first, Samples.CurrentKey(first, _master), Ct);
        var second = first with { Id = "up_other" };

        var error = await Assert.ThrowsAsync<StorageException>(
            () => _store.AddUpstreamAsync(second, Samples.CurrentKey(second, _master, id: "key_other"), Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Equal("an upstream named 'newsletter' already exists", error.Message);
        Assert.Single(await _store.ListUpstreamsAsync(Ct));
    }

    [Fact]
    public async Task AddUpstream_WithATakenKeyId_IsAConflictAndAddsNothing()
    {
        var first = Samples.Upstream("newsletter");
        await _store.AddUpstreamAsync(first, Samples.CurrentKey(first, _master, id: "key_1"), Ct);
        var second = Samples.Upstream("receipts");

        var error = await Assert.ThrowsAsync<StorageException>(
            () => _store.AddUpstreamAsync(second, Samples.CurrentKey(second, _master, id: "key_1"), Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Null(await _store.FindUpstreamAsync("receipts", Ct));
    }

    [Fact]
    public async Task AddUpstream_WithAKeySealedByAnotherMasterKey_IsAConflict()
    {
        await _store.SetMasterKeyIdAsync(_master.Id, Ct);
        using var other = MasterKey.Generate();
        var upstream = Samples.Upstream();

        var error = await Assert.ThrowsAsync<StorageException>(
            () => _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, other), Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Null(await _store.FindUpstreamAsync(upstream.Name, Ct));
    }

    [Fact]
    public async Task AddUpstream_ToAStoreWithoutMasterKeyId_RecordsTheKeysMasterKeyId()
    {
        var upstream = Samples.Upstream();

        await _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master), Ct);

        Assert.Equal(_master.Id, await _store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task AddUpstream_WithAKeyThatIsNotCurrent_IsRejectedAsMisuse()
    {
        var upstream = Samples.Upstream();

        await Assert.ThrowsAsync<ArgumentException>(
            () => _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master, KeySlot.Pending), Ct));
    }

    [Fact]
    public async Task ListUpstreams_IsOrderedByName()
    {
        foreach (var name in new[] { "receipts", "Alerts", "newsletter" })
        {
            var upstream = Samples.Upstream(name);
            await _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master), Ct);
        }

        var names = (await _store.ListUpstreamsAsync(Ct)).Select(upstream => upstream.Name);

        Assert.Equal(["Alerts", "newsletter", "receipts"], names);
    }

    [Fact]
    public async Task FindAndGetUpstream_ThatDoNotExist_ReturnNull()
    {
        Assert.Null(await _store.FindUpstreamAsync("nothing", Ct));
        Assert.Null(await _store.GetUpstreamAsync("up_nothing", Ct));
        Assert.Empty(await _store.ListKeysAsync("up_nothing", Ct));
    }

    [Fact]
    public async Task ListKeys_PutsCurrentFirstThenPendingThenPreviousNewestFirst()
    {
        var upstream = Samples.Upstream();
        await _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master, id: "key_c"), Ct);
        await InsertKeyRowAsync("key_old", upstream.Id, "previous", Samples.T0);
        await InsertKeyRowAsync("key_p", upstream.Id, "pending", Samples.T0);
        await InsertKeyRowAsync("key_older", upstream.Id, "previous", Samples.T0.AddDays(-1));
        await InsertKeyRowAsync("key_newer", upstream.Id, "previous", Samples.T0.AddDays(1));

        var keys = await _store.ListKeysAsync(upstream.Id, Ct);

        Assert.Equal(["key_c", "key_p", "key_newer", "key_old", "key_older"], keys.Select(key => key.Id));
    }

    [Fact]
    public async Task Schema_AllowsOneCurrentAndOnePendingKeyPerUpstream()
    {
        var upstream = Samples.Upstream();
        await _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master), Ct);
        await InsertKeyRowAsync("key_p1", upstream.Id, "pending", Samples.T0);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => InsertKeyRowAsync("key_p2", upstream.Id, "pending", Samples.T0));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => InsertKeyRowAsync("key_c2", upstream.Id, "current", Samples.T0));
    }

    [Fact]
    public async Task MarkVerified_RecordsTheTimeOnTheKeyAndTheAccountOnTheUpstream()
    {
        var upstream = Samples.Upstream() with { AccountId = null };
        var key = Samples.CurrentKey(upstream, _master) with { VerifiedAt = null };
        await _store.AddUpstreamAsync(upstream, key, Ct);
        var verifiedAt = Samples.T0.AddHours(3).AddMilliseconds(999);

        await _store.MarkVerifiedAsync(key.Id, "acct_42", verifiedAt, Ct);

        Assert.Equal(verifiedAt, Assert.Single(await _store.ListKeysAsync(upstream.Id, Ct)).VerifiedAt);
        Assert.Equal("acct_42", (await _store.GetUpstreamAsync(upstream.Id, Ct))?.AccountId);
    }

    [Fact]
    public async Task MarkVerified_WithoutAccount_LeavesTheRecordedAccount()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, _master);
        await _store.AddUpstreamAsync(upstream, key, Ct);

        await _store.MarkVerifiedAsync(key.Id, accountId: null, Samples.T0.AddDays(1), Ct);

        Assert.Equal(upstream.AccountId, (await _store.GetUpstreamAsync(upstream.Id, Ct))?.AccountId);
    }

    [Fact]
    public async Task MarkVerified_UnknownKey_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => _store.MarkVerifiedAsync("key_nothing", "acct", Samples.T0, Ct));

        Assert.Equal(StorageError.NotFound, error.Error);
    }

    [Fact]
    public async Task RemoveUpstream_RevokesItsTokensKeepsThemOnRecordAndDeletesItsKeys()
    {
        var removed = Samples.Upstream("newsletter");
        var kept = Samples.Upstream("receipts");
        await _store.AddUpstreamAsync(removed, Samples.CurrentKey(removed, _master), Ct);
        await _store.AddUpstreamAsync(kept, Samples.CurrentKey(kept, _master), Ct);
        await _store.AddTokenAsync(Samples.Token(removed.Id, "tok_live"), Ct);
        await _store.AddTokenAsync(Samples.Token(removed.Id, "tok_revoked_before"), Ct);
        await _store.RevokeTokenAsync("tok_revoked_before", Samples.T0.AddDays(1), Ct);
        await _store.AddTokenAsync(Samples.Token(kept.Id, "tok_other"), Ct);
        var removedAt = Samples.T0.AddDays(2);

        Assert.True(await _store.RemoveUpstreamAsync("newsletter", removedAt, Ct));

        Assert.Null(await _store.FindUpstreamAsync("newsletter", Ct));
        Assert.Null(await _store.GetUpstreamAsync(removed.Id, Ct));
        Assert.Equal([kept], await _store.ListUpstreamsAsync(Ct));
        Assert.Empty(await _store.ListKeysAsync(removed.Id, Ct));
        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM upstream_keys WHERE upstream_id = $id", ("$id", removed.Id)));
        Assert.Single(await _store.ListKeysAsync(kept.Id, Ct));
        Assert.Equal(removedAt, (await _store.FindTokenAsync("tok_live", Ct))?.RevokedAt);
        Assert.Equal(Samples.T0.AddDays(1), (await _store.FindTokenAsync("tok_revoked_before", Ct))?.RevokedAt);
        Assert.Null((await _store.FindTokenAsync("tok_other", Ct))?.RevokedAt);
        Assert.Equal(3, (await _store.ListTokensAsync(Ct)).Count);
    }

    [Fact]
    public async Task RemoveUpstream_LeavesNoCopyOfItsCiphertextsOnDisk()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, _master);
        await _store.AddUpstreamAsync(upstream, key, Ct);
        Assert.True(Contains(_database.ReadAllBytesOnDisk(), key.Secret.Ciphertext));

        await _store.RemoveUpstreamAsync(upstream.Name, Samples.T0, Ct);

        var disk = _database.ReadAllBytesOnDisk();
        Assert.False(Contains(disk, key.Secret.Ciphertext));
        Assert.False(Contains(disk, key.Secret.WrappedDataKey));
    }

    [Fact]
    public async Task RemoveUpstream_ThatDoesNotExist_ReturnsFalse()
    {
        Assert.False(await _store.RemoveUpstreamAsync("nothing", Samples.T0, Ct));
    }

    [Fact]
    public async Task RemoveUpstream_Twice_ReturnsFalseTheSecondTime()
    {
        var upstream = Samples.Upstream();
        await _store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, _master), Ct);

        Assert.True(await _store.RemoveUpstreamAsync(upstream.Name, Samples.T0, Ct));
        Assert.False(await _store.RemoveUpstreamAsync(upstream.Name, Samples.T0, Ct));
    }

    [Fact]
    public async Task RemovedUpstreamsName_CanBeGivenToANewUpstream()
    {
        var old = Samples.Upstream("newsletter");
        await _store.AddUpstreamAsync(old, Samples.CurrentKey(old, _master), Ct);
        await _store.RemoveUpstreamAsync("newsletter", Samples.T0, Ct);
        var replacement = old with { Id = "up_newsletter_2" };

        await _store.AddUpstreamAsync(replacement, Samples.CurrentKey(replacement, _master, id: "key_newsletter_2"), Ct);

        Assert.Equal(replacement, await _store.FindUpstreamAsync("newsletter", Ct));
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
            ("$master", _master.Id),
            ("$created_at", createdAt.ToUnixTimeMilliseconds()));
}
