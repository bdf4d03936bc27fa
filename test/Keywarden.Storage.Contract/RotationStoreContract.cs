using Keywarden.Core.Audit;
using Keywarden.Core.Rotation;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="IRotationStore"/>: each rotation step one audited transaction, sinks, key ages.</summary>
public abstract class RotationStoreContract : StoreContract
{
    private readonly UpstreamRecord _upstream = Samples.Upstream();

    private string OldKeyId => "key_" + _upstream.Name;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), Audit("added"), Ct);
    }

    [Fact]
    public async Task WholeRotation_EachStepOneRevision_PromotionSwapsSlots_HistoryAndAuditHaveEveryStep()
    {
        var revisions = new List<long> { await Store.GetRevisionAsync(Ct) };
        var rotation = await StartAsync();
        revisions.Add(await Store.GetRevisionAsync(Ct));
        await Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Requested, RotationState.AwaitingNewKey), Audit("shown"), Ct);
        revisions.Add(await Store.GetRevisionAsync(Ct));
        await Store.StagePendingKeyAsync(rotation.Id, PendingKey("key_new"), Step(RotationState.AwaitingNewKey, RotationState.Verifying), Audit("staged"), Ct);
        revisions.Add(await Store.GetRevisionAsync(Ct));
        await Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Verifying, RotationState.Staged), Audit("verified"), Ct);
        await Store.PromoteAsync(rotation.Id, Step(RotationState.Staged, RotationState.Promoted), Audit("promoted"), Ct);
        revisions.Add(await Store.GetRevisionAsync(Ct));

        var keys = await Store.ListKeysAsync(_upstream.Id, Ct);
        Assert.Equal([("key_new", KeySlot.Current), (OldKeyId, KeySlot.Previous)], keys.Select(k => (k.Id, k.Slot)));

        await Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Promoted, RotationState.AwaitingRevocation), Audit("sinks"), Ct);
        await Store.DropPreviousKeyAsync(rotation.Id, Step(RotationState.AwaitingRevocation, RotationState.Revoked), Audit("revoked"), Ct);

        Assert.Equal("key_new", Assert.Single(await Store.ListKeysAsync(_upstream.Id, Ct)).Id);
        Assert.Equal(revisions.Count, revisions.Distinct().Count());
        Assert.True(revisions.SequenceEqual(revisions.Order()));
        var history = await Store.ListRotationHistoryAsync(rotation.Id, Ct);
        Assert.Equal(
            [RotationState.Requested, RotationState.AwaitingNewKey, RotationState.Verifying, RotationState.Staged, RotationState.Promoted, RotationState.AwaitingRevocation, RotationState.Revoked],
            history.Select(t => t.To));
        Assert.Null(history[0].From);
        Assert.All(history.Skip(1).Zip(history), pair => Assert.Equal(pair.Second.To, pair.First.From));
        var audit = await Store.TailAsync(10, Ct);
        Assert.Equal(["added", "opened", "shown", "staged", "verified", "promoted", "sinks", "revoked"], audit.Select(r => r.Entry.Detail));
        Assert.Null(await Store.FindOpenRotationAsync(_upstream.Id, Ct));
        var stored = Assert.Single(await Store.ListRotationsAsync(_upstream.Id, Ct));
        Assert.Equal(rotation with { State = RotationState.Revoked, NewKeyId = "key_new", UpdatedAt = Samples.T0 }, stored);
    }

    [Fact]
    public async Task StartRotation_WhileOneIsOpen_IsAConflict_AndAfterItEndsIsAllowed()
    {
        var first = await StartAsync();

        var error = await Assert.ThrowsAsync<StorageException>(() => StartAsync("rot_2"));
        Assert.Equal(StorageError.Conflict, error.Error);

        await Store.AdvanceRotationAsync(first.Id, Step(RotationState.Requested, RotationState.Aborted), Audit("aborted"), Ct);
        await StartAsync("rot_3");
        Assert.Equal("rot_3", (await Store.FindOpenRotationAsync(_upstream.Id, Ct))!.Id);
    }

    [Fact]
    public async Task Step_FromAStateTheRotationLeft_IsAConflictAndChangesNothing()
    {
        var rotation = await StartAsync();
        await Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Requested, RotationState.AwaitingNewKey), Audit("shown"), Ct);
        var revision = await Store.GetRevisionAsync(Ct);

        var error = await Assert.ThrowsAsync<StorageException>(() =>
            Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Requested, RotationState.AwaitingNewKey), Audit("again"), Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Equal(revision, await Store.GetRevisionAsync(Ct));
        Assert.Equal(2, (await Store.ListRotationHistoryAsync(rotation.Id, Ct)).Count);
        Assert.DoesNotContain(await Store.TailAsync(10, Ct), r => r.Entry.Detail == "again");
    }

    [Fact]
    public async Task Abort_AfterStaging_DeletesThePendingKeyAndKeepsTheCurrent()
    {
        var rotation = await StartAsync();
        await Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Requested, RotationState.AwaitingNewKey), Audit("shown"), Ct);
        await Store.StagePendingKeyAsync(rotation.Id, PendingKey("key_new"), Step(RotationState.AwaitingNewKey, RotationState.Verifying), Audit("staged"), Ct);

        await Store.DropPendingKeyAsync(rotation.Id, Step(RotationState.Verifying, RotationState.Aborted), Audit("aborted"), Ct);

        var key = Assert.Single(await Store.ListKeysAsync(_upstream.Id, Ct));
        Assert.Equal((OldKeyId, KeySlot.Current), (key.Id, key.Slot));
        Assert.False(await Database.HoldsKeyAsync("key_new"));
    }

    [Fact]
    public async Task IllegalStep_IsRefusedBeforeTouchingTheStore()
    {
        var rotation = await StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PromoteAsync(
            rotation.Id, new RotationTransition(RotationState.Requested, RotationState.Promoted, "t", "t", Samples.T0), Audit("x"), Ct));
        Assert.Equal(RotationState.Requested, (await Store.FindOpenRotationAsync(_upstream.Id, Ct))!.State);
    }

    [Fact]
    public async Task Sinks_AddListRemove_AndMaxKeyAge_AreAudited()
    {
        await Store.AddSinkAsync(new SinkRecord("sink_1", _upstream.Id, "env:/srv/app/.env#KEY", Samples.T0), Audit("sink add"), Ct);
        await Store.AddSinkAsync(new SinkRecord("sink_2", _upstream.Id, "exec:reload-app", Samples.T0.AddSeconds(1)), Audit("sink add 2"), Ct);
        await Store.SetMaxKeyAgeAsync(_upstream.Id, TimeSpan.FromDays(30), Audit("max age"), Ct);

        Assert.Equal(["sink_1", "sink_2"], (await Store.ListSinksAsync(_upstream.Id, Ct)).Select(s => s.Id));
        Assert.True(await Store.RemoveSinkAsync("sink_1", Audit("sink remove"), Ct));
        Assert.False(await Store.RemoveSinkAsync("sink_1", Audit("sink remove again"), Ct));
        Assert.Equal("exec:reload-app", Assert.Single(await Store.ListSinksAsync(null, Ct)).Spec);
        Assert.Equal(TimeSpan.FromDays(30), (await Store.GetUpstreamAsync(_upstream.Id, Ct))!.MaxKeyAge);
        Assert.Equal(["added", "sink add", "sink add 2", "max age", "sink remove"], (await Store.TailAsync(10, Ct)).Select(r => r.Entry.Detail));
        var missing = await Assert.ThrowsAsync<StorageException>(() =>
            Store.AddSinkAsync(new SinkRecord("sink_3", "up_nope", "exec:x", Samples.T0), Audit("x"), Ct));
        Assert.Equal(StorageError.NotFound, missing.Error);
    }

    [Fact]
    public async Task RemovingTheUpstream_AbortsItsOpenRotation_OnRecord_AndDeletesItsSinks()
    {
        var rotation = await StartAsync();
        await Store.AdvanceRotationAsync(rotation.Id, Step(RotationState.Requested, RotationState.AwaitingNewKey), Audit("shown"), Ct);
        await Store.AddSinkAsync(new SinkRecord("snk_1", _upstream.Id, "env:/srv/app/.env#MAILCHIMP_API_KEY", Samples.T0), Audit("sink"), Ct);

        Assert.True(await Store.RemoveUpstreamAsync(_upstream.Name, Samples.T0.AddHours(1), AuditSamples.Change, Ct));

        Assert.Null(await Store.FindOpenRotationAsync(_upstream.Id, Ct));
        Assert.Equal(RotationState.Aborted, Assert.Single(await Store.ListRotationsAsync(_upstream.Id, Ct)).State);
        var last = (await Store.ListRotationHistoryAsync(rotation.Id, Ct))[^1];
        Assert.Equal((RotationState.AwaitingNewKey, RotationState.Aborted, "the upstream was removed"), (last.From!.Value, last.To, last.Why));
        Assert.Empty(await Store.ListSinksAsync(_upstream.Id, Ct));
    }

    private async Task<RotationRecord> StartAsync(string id = "rot_1")
    {
        var rotation = new RotationRecord(id, _upstream.Id, RotationState.Requested, RotationReason.Leak, "found in app.js:3", OldKeyId, null, Samples.T0, Samples.T0);
        await Store.StartRotationAsync(rotation, RotationMachine.Open("alice", "leak", Samples.T0), Audit("opened"), Ct);
        return rotation;
    }

    private static RotationTransition Step(RotationState from, RotationState to) => RotationMachine.Step(from, to, "alice", "test", Samples.T0);

    private AuditEntry Audit(string detail) =>
        AuditEntry.ForAdmin(Samples.T0, "alice", "rotation.test", _upstream.Name, detail) with { UpstreamId = _upstream.Id };

    private UpstreamKeyRecord PendingKey(string id) => Samples.CurrentKey(_upstream, Master, KeySlot.Pending, id);
}
