using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="IUpstreamStore"/>: upstreams and their sealed keys, and removal that keeps the token history.</summary>
public abstract class UpstreamStoreContract : StoreContract
{
    [Fact]
    public async Task AddUpstream_ThenRead_ReturnsEveryFieldOfTheUpstreamAndItsKey()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, Master);

        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);

        Assert.Equal(upstream, await Store.FindUpstreamAsync(upstream.Name, Ct));
        Assert.Equal(upstream, await Store.GetUpstreamAsync(upstream.Id, Ct));
        RecordAssert.Equal(key, Assert.Single(await Store.ListKeysAsync(upstream.Id, Ct)));
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
        var key = Samples.CurrentKey(upstream, Master) with { Label = null, VerifiedAt = null };

        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);

        Assert.Equal(upstream, await Store.FindUpstreamAsync("mandrill", Ct));
        RecordAssert.Equal(key, Assert.Single(await Store.ListKeysAsync(upstream.Id, Ct)));
    }

    [Fact]
    public async Task FindKeyByFingerprint_FindsTheStoredKeyByItsHash_InAnyCase_AndNothingElse()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, Master);
        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);

        RecordAssert.Equal(key, (await Store.FindKeyByFingerprintAsync(key.Fingerprint, Ct))!);
        RecordAssert.Equal(key, (await Store.FindKeyByFingerprintAsync(key.Fingerprint.ToUpperInvariant(), Ct))!);
        Assert.Null(await Store.FindKeyByFingerprintAsync(new string('0', 64), Ct));
    }

    [Fact]
    public async Task StoredKey_StillOpensWithTheMasterKey()
    {
        var upstream = Samples.Upstream();
        await Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master), AuditSamples.Change, Ct);

        var stored = Assert.Single(await Store.ListKeysAsync(upstream.Id, Ct));

        Assert.Equal(Samples.MarketingKey, EnvelopeCipher.OpenString(Master, stored.Id, stored.Secret));
    }

    [Fact]
    public async Task AddUpstream_WithATakenName_IsAConflictThatNamesTheUpstream()
    {
        var first = Samples.Upstream("newsletter");
        await Store.AddUpstreamAsync(first, Samples.CurrentKey(first, Master), AuditSamples.Change, Ct);
        var second = first with { Id = "up_other" };

        var error = await Assert.ThrowsAsync<StorageException>(
            () => Store.AddUpstreamAsync(second, Samples.CurrentKey(second, Master, id: "key_other"), AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Equal("an upstream named 'newsletter' already exists", error.Message);
        Assert.Single(await Store.ListUpstreamsAsync(Ct));
    }

    [Fact]
    public async Task AddUpstream_WithATakenKeyId_IsAConflictAndAddsNothing()
    {
        var first = Samples.Upstream("newsletter");
        await Store.AddUpstreamAsync(first, Samples.CurrentKey(first, Master, id: "key_1"), AuditSamples.Change, Ct);
        var second = Samples.Upstream("receipts");

        var error = await Assert.ThrowsAsync<StorageException>(
            () => Store.AddUpstreamAsync(second, Samples.CurrentKey(second, Master, id: "key_1"), AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Null(await Store.FindUpstreamAsync("receipts", Ct));
    }

    [Fact]
    public async Task AddUpstream_WithAKeySealedByAnotherMasterKey_IsAConflict()
    {
        await Store.SetMasterKeyIdAsync(Master.Id, Ct);
        using var other = MasterKey.Generate();
        var upstream = Samples.Upstream();

        var error = await Assert.ThrowsAsync<StorageException>(
            () => Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, other), AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Null(await Store.FindUpstreamAsync(upstream.Name, Ct));
    }

    [Fact]
    public async Task AddUpstream_ToAStoreWithoutMasterKeyId_RecordsTheKeysMasterKeyId()
    {
        var upstream = Samples.Upstream();

        await Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master), AuditSamples.Change, Ct);

        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task AddUpstream_WithAKeyThatIsNotCurrent_IsRejectedAsMisuse()
    {
        var upstream = Samples.Upstream();

        await Assert.ThrowsAsync<ArgumentException>(
            () => Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master, KeySlot.Pending), AuditSamples.Change, Ct));
    }

    [Fact]
    public async Task ListUpstreams_IsOrderedByName()
    {
        foreach (var name in new[] { "receipts", "Alerts", "newsletter" })
        {
            var upstream = Samples.Upstream(name);
            await Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master), AuditSamples.Change, Ct);
        }

        var names = (await Store.ListUpstreamsAsync(Ct)).Select(upstream => upstream.Name);

        Assert.Equal(["Alerts", "newsletter", "receipts"], names);
    }

    [Fact]
    public async Task FindAndGetUpstream_ThatDoNotExist_ReturnNull()
    {
        Assert.Null(await Store.FindUpstreamAsync("nothing", Ct));
        Assert.Null(await Store.GetUpstreamAsync("up_nothing", Ct));
        Assert.Empty(await Store.ListKeysAsync("up_nothing", Ct));
    }

    [Fact]
    public async Task MarkVerified_RecordsTheTimeOnTheKeyAndTheAccountOnTheUpstream()
    {
        var upstream = Samples.Upstream() with { AccountId = null };
        var key = Samples.CurrentKey(upstream, Master) with { VerifiedAt = null };
        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);
        var verifiedAt = Samples.T0.AddHours(3).AddMilliseconds(999);

        await Store.MarkVerifiedAsync(key.Id, "acct_42", verifiedAt, Ct);

        Assert.Equal(verifiedAt, Assert.Single(await Store.ListKeysAsync(upstream.Id, Ct)).VerifiedAt);
        Assert.Equal("acct_42", (await Store.GetUpstreamAsync(upstream.Id, Ct))?.AccountId);
    }

    [Fact]
    public async Task MarkVerified_WithoutAccount_LeavesTheRecordedAccount()
    {
        var upstream = Samples.Upstream();
        var key = Samples.CurrentKey(upstream, Master);
        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);

        await Store.MarkVerifiedAsync(key.Id, accountId: null, Samples.T0.AddDays(1), Ct);

        Assert.Equal(upstream.AccountId, (await Store.GetUpstreamAsync(upstream.Id, Ct))?.AccountId);
    }

    [Fact]
    public async Task MarkVerified_UnknownKey_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Store.MarkVerifiedAsync("key_nothing", "acct", Samples.T0, Ct));

        Assert.Equal(StorageError.NotFound, error.Error);
    }

    [Fact]
    public async Task RemoveUpstream_RevokesItsTokensKeepsThemOnRecordAndDeletesItsKeys()
    {
        var removed = Samples.Upstream("newsletter");
        var kept = Samples.Upstream("receipts");
        await Store.AddUpstreamAsync(removed, Samples.CurrentKey(removed, Master), AuditSamples.Change, Ct);
        await Store.AddUpstreamAsync(kept, Samples.CurrentKey(kept, Master), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(removed.Id, "tok_live"), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(removed.Id, "tok_revoked_before"), AuditSamples.Change, Ct);
        await Store.RevokeTokenAsync("tok_revoked_before", Samples.T0.AddDays(1), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(kept.Id, "tok_other"), AuditSamples.Change, Ct);
        var removedAt = Samples.T0.AddDays(2);

        Assert.True(await Store.RemoveUpstreamAsync("newsletter", removedAt, AuditSamples.Change, Ct));

        Assert.Null(await Store.FindUpstreamAsync("newsletter", Ct));
        Assert.Null(await Store.GetUpstreamAsync(removed.Id, Ct));
        Assert.Equal([kept], await Store.ListUpstreamsAsync(Ct));
        Assert.Empty(await Store.ListKeysAsync(removed.Id, Ct));
        Assert.False(await Database.HoldsKeyAsync("key_newsletter"));
        Assert.Single(await Store.ListKeysAsync(kept.Id, Ct));
        Assert.Equal(removedAt, (await Store.FindTokenAsync("tok_live", Ct))?.RevokedAt);
        Assert.Equal(Samples.T0.AddDays(1), (await Store.FindTokenAsync("tok_revoked_before", Ct))?.RevokedAt);
        Assert.Null((await Store.FindTokenAsync("tok_other", Ct))?.RevokedAt);
        Assert.Equal(3, (await Store.ListTokensAsync(Ct)).Count);
    }

    [Fact]
    public async Task RemoveUpstream_ThatDoesNotExist_ReturnsFalse()
    {
        Assert.False(await Store.RemoveUpstreamAsync("nothing", Samples.T0, AuditSamples.Change, Ct));
    }

    [Fact]
    public async Task RemoveUpstream_Twice_ReturnsFalseTheSecondTime()
    {
        var upstream = Samples.Upstream();
        await Store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master), AuditSamples.Change, Ct);

        Assert.True(await Store.RemoveUpstreamAsync(upstream.Name, Samples.T0, AuditSamples.Change, Ct));
        Assert.False(await Store.RemoveUpstreamAsync(upstream.Name, Samples.T0, AuditSamples.Change, Ct));
    }

    [Fact]
    public async Task RemovedUpstreamsName_CanBeGivenToANewUpstream()
    {
        var old = Samples.Upstream("newsletter");
        await Store.AddUpstreamAsync(old, Samples.CurrentKey(old, Master), AuditSamples.Change, Ct);
        await Store.RemoveUpstreamAsync("newsletter", Samples.T0, AuditSamples.Change, Ct);
        var replacement = old with { Id = "up_newsletter_2" };

        await Store.AddUpstreamAsync(replacement, Samples.CurrentKey(replacement, Master, id: "key_newsletter_2"), AuditSamples.Change, Ct);

        Assert.Equal(replacement, await Store.FindUpstreamAsync("newsletter", Ct));
    }
}
