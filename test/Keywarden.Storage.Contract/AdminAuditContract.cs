using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Rotation;

namespace Keywarden.Storage.Contract;

/// <summary>
/// Every change an administrator makes through the store appends the audit record it is given in the change's own
/// transaction: the record is there when the call returns, a refused change appends nothing, and a change whose record
/// cannot be appended is not made. So <c>audit verify</c> never finds a change without its record, crash or not.
/// </summary>
public abstract class AdminAuditContract : StoreContract
{
    private readonly UpstreamRecord _upstream = Samples.Upstream();
    private readonly MasterKey _newMaster = MasterKey.Generate();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), Entry("upstream.add", _upstream.Name), Ct);
        await Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Entry("token.issue", "tok_1"), Ct);
    }

    public override async ValueTask DisposeAsync()
    {
        _newMaster.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task AddToken_AppendsItsRecord()
    {
        var entry = Entry("token.issue", "tok_2");

        var appended = await AppendedByAsync(() => Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_2"), entry, Ct));

        Assert.Equal(entry, Assert.Single(appended).Entry);
    }

    [Fact]
    public async Task AddToken_RefusedForATakenId_AppendsNothing()
    {
        var appended = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Entry("token.issue", "tok_1"), Ct)));

        Assert.Empty(appended);
    }

    [Fact]
    public async Task RevokeToken_AppendsItsRecord_AlsoWhenTheTokenWasRevokedBefore()
    {
        var first = Entry("token.revoke", "tok_1");
        var again = Entry("token.revoke", "tok_1", "again");

        var appended = await AppendedByAsync(async () =>
        {
            Assert.True(await Store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(1), first, Ct));
            Assert.True(await Store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(2), again, Ct));
        });

        Assert.Equal([first, again], appended.Select(r => r.Entry));
    }

    [Fact]
    public async Task RevokeToken_OfNoSuchToken_AppendsNothing()
    {
        var appended = await AppendedByAsync(async () =>
            Assert.False(await Store.RevokeTokenAsync("tok_missing", Samples.T0, Entry("token.revoke", "tok_missing"), Ct)));

        Assert.Empty(appended);
    }

    [Fact]
    public async Task RotateToken_AppendsTheRecordItMakesOfTheRetiredToken()
    {
        TokenRecord? seen = null;
        TokenRecord retired = null!;

        var appended = await AppendedByAsync(async () => retired = await Store.RotateTokenAsync(
            "tok_1",
            Samples.Token(_upstream.Id, "tok_2", Samples.T0.AddDays(1)),
            Samples.T0.AddDays(2),
            old =>
            {
                seen = old;
                return Entry("token.rotate", old.Id, $"expires at {old.Policy.ExpiresAt:u}");
            },
            Ct));

        RecordAssert.Equal(retired, seen);
        Assert.Equal("tok_2", seen!.SupersededBy);
        Assert.Equal(Entry("token.rotate", "tok_1", $"expires at {Samples.T0.AddDays(2):u}"), Assert.Single(appended).Entry);
    }

    [Fact]
    public async Task RotateToken_RefusedForARevokedToken_AppendsNothing()
    {
        await Store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(1), Entry("token.revoke", "tok_1"), Ct);

        var appended = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(() => Store.RotateTokenAsync(
            "tok_1", Samples.Token(_upstream.Id, "tok_2", Samples.T0.AddDays(1)), Samples.T0.AddDays(2), old => Entry("token.rotate", old.Id), Ct)));

        Assert.Empty(appended);
    }

    [Fact]
    public async Task AddUpstream_AppendsItsRecord()
    {
        var other = Samples.Upstream("receipts");
        var entry = Entry("upstream.add", other.Name);

        var appended = await AppendedByAsync(() => Store.AddUpstreamAsync(other, Samples.CurrentKey(other, Master), entry, Ct));

        Assert.Equal(entry, Assert.Single(appended).Entry);
    }

    [Fact]
    public async Task AddUpstream_RefusedForATakenName_AppendsNothing()
    {
        var twin = Samples.Upstream() with { Id = "up_twin" };

        var appended = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.AddUpstreamAsync(twin, Samples.CurrentKey(twin, Master, id: "key_twin"), Entry("upstream.add", twin.Name), Ct)));

        Assert.Empty(appended);
    }

    [Fact]
    public async Task RemoveUpstream_AppendsItsRecord()
    {
        var entry = Entry("upstream.remove", _upstream.Name);

        var appended = await AppendedByAsync(async () => Assert.True(await Store.RemoveUpstreamAsync(_upstream.Name, Samples.T0.AddDays(1), entry, Ct)));

        Assert.Equal(entry, Assert.Single(appended).Entry);
    }

    [Fact]
    public async Task RemoveUpstream_OfNoSuchUpstream_AppendsNothing()
    {
        var appended = await AppendedByAsync(async () =>
            Assert.False(await Store.RemoveUpstreamAsync("nothing", Samples.T0, Entry("upstream.remove", "nothing"), Ct)));

        Assert.Empty(appended);
    }

    [Fact]
    public async Task RewrapAll_AppendsTheRecordItMakesOfTheCount()
    {
        var appended = await AppendedByAsync(() => Store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(Master, _newMaster, id, secret), _newMaster.Id, count => Entry("master.rotate", _newMaster.Id, $"{count} re-wrapped"), Ct));

        Assert.Equal(Entry("master.rotate", _newMaster.Id, "1 re-wrapped"), Assert.Single(appended).Entry);
    }

    [Fact]
    public async Task RewrapAll_RefusedByTheRewrap_AppendsNothing()
    {
        var appended = await AppendedByAsync(() => Assert.ThrowsAsync<KeywardenCryptoException>(() => Store.RewrapAllAsync(
            (_, _) => throw new KeywardenCryptoException("simulated failure"), _newMaster.Id, _ => Entry("master.rotate", _newMaster.Id), Ct)));

        Assert.Empty(appended);
    }

    [Fact]
    public async Task ARecordThatCannotBeMade_UndoesItsChange()
    {
        var revision = await Store.GetRevisionAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RotateTokenAsync(
            "tok_1", Samples.Token(_upstream.Id, "tok_2", Samples.T0.AddDays(1)), Samples.T0.AddDays(2), _ => throw new InvalidOperationException("no record"), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(Master, _newMaster, id, secret), _newMaster.Id, _ => throw new InvalidOperationException("no record"), Ct));

        Assert.Equal(revision, await Store.GetRevisionAsync(Ct));
        Assert.Null(await Store.FindTokenAsync("tok_2", Ct));
        Assert.Null((await Store.FindTokenAsync("tok_1", Ct))!.SupersededBy);
        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
    }

    [Fact]
    public async Task WhenTheAuditLogRefuses_NoAdminChangeIsMade()
    {
        await Store.AddSinkAsync(new SinkRecord("snk_1", _upstream.Id, "exec:reload-app", Samples.T0), Entry("sink.add", _upstream.Name), Ct);
        var other = Samples.Upstream("receipts");
        var rotation = new RotationRecord("rot_1", _upstream.Id, RotationState.Requested, RotationReason.Scheduled, null, "key_" + _upstream.Name, null, Samples.T0, Samples.T0);
        var revision = await Store.GetRevisionAsync(Ct);
        var head = Assert.Single(await Store.TailAsync(1, Ct)).Sequence;
        await Database.RefuseAuditAppendsAsync();

        await Refused(() => Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_2"), Entry("token.issue", "tok_2"), Ct));
        await Refused(() => Store.RevokeTokenAsync("tok_1", Samples.T0, Entry("token.revoke", "tok_1"), Ct));
        await Refused(() => Store.RotateTokenAsync(
            "tok_1", Samples.Token(_upstream.Id, "tok_3", Samples.T0.AddDays(1)), Samples.T0.AddDays(2), old => Entry("token.rotate", old.Id), Ct));
        await Refused(() => Store.AddUpstreamAsync(other, Samples.CurrentKey(other, Master), Entry("upstream.add", other.Name), Ct));
        await Refused(() => Store.RemoveUpstreamAsync(_upstream.Name, Samples.T0, Entry("upstream.remove", _upstream.Name), Ct));
        await Refused(() => Store.RewrapAllAsync(
            (id, secret) => EnvelopeCipher.Rewrap(Master, _newMaster, id, secret), _newMaster.Id, _ => Entry("master.rotate", _newMaster.Id), Ct));
        await Refused(() => Store.SetMaxKeyAgeAsync(_upstream.Id, TimeSpan.FromDays(7), Entry("upstream.max-age", _upstream.Name), Ct));
        await Refused(() => Store.AddSinkAsync(new SinkRecord("snk_2", _upstream.Id, "exec:x", Samples.T0), Entry("sink.add", _upstream.Name), Ct));
        await Refused(() => Store.RemoveSinkAsync("snk_1", Entry("sink.remove", "snk_1"), Ct));
        await Refused(() => Store.StartRotationAsync(rotation, RotationMachine.Open("alice", "scheduled", Samples.T0), Entry("rotation.requested", _upstream.Name), Ct));

        Assert.Equal(revision, await Store.GetRevisionAsync(Ct));
        Assert.Equal(head, Assert.Single(await Store.TailAsync(1, Ct)).Sequence);
        var token = await Store.FindTokenAsync("tok_1", Ct);
        Assert.Null(token!.RevokedAt);
        Assert.Null(token.SupersededBy);
        Assert.Single(await Store.ListTokensAsync(Ct));
        Assert.Equal([_upstream.Name], (await Store.ListUpstreamsAsync(Ct)).Select(u => u.Name));
        Assert.Equal(_upstream.MaxKeyAge, (await Store.GetUpstreamAsync(_upstream.Id, Ct))!.MaxKeyAge);
        Assert.Equal(Master.Id, await Store.GetMasterKeyIdAsync(Ct));
        Assert.Equal(Master.Id, Assert.Single(await Store.ListKeysAsync(_upstream.Id, Ct)).Secret.MasterKeyId);
        Assert.Equal(["snk_1"], (await Store.ListSinksAsync(null, Ct)).Select(s => s.Id));
        Assert.Null(await Store.FindOpenRotationAsync(_upstream.Id, Ct));

        static Task Refused(Func<Task> change) => Assert.ThrowsAsync<StorageException>(change);
    }

    private static AuditEntry Entry(string action, string target, string? detail = null) =>
        AuditEntry.ForAdmin(Samples.T0, "alice", action, target, detail ?? action + " " + target);

    /// <summary>The records appended to the log while <paramref name="change"/> ran.</summary>
    private async Task<IReadOnlyList<AuditRecord>> AppendedByAsync(Func<Task> change)
    {
        var head = (await Store.TailAsync(1, Ct)).SingleOrDefault()?.Sequence ?? 0;
        await change();
        return await Store.ReadAsync(head, 100, Ct);
    }
}
