using Keywarden.Core.Audit;
using Keywarden.Core.Rotation;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="ISnapshotStore"/>: everything a gateway serves from, in one read, as of the revision it carries.</summary>
public abstract class SnapshotContract : StoreContract
{
    [Fact]
    public async Task Snapshot_OfANewStore_IsEmpty_AtTheStoresRevision()
    {
        var snapshot = await Store.ReadSnapshotAsync(Ct);

        Assert.Equal(await Store.GetRevisionAsync(Ct), snapshot.Revision);
        Assert.Empty(snapshot.Upstreams);
        Assert.Empty(snapshot.Tokens);
    }

    [Fact]
    public async Task Snapshot_HoldsEveryUpstreamInUseWithItsCurrentKey_AndEveryToken()
    {
        var receipts = await AddUpstreamAsync("receipts");
        var alerts = await AddUpstreamAsync("alerts");
        var removed = await AddUpstreamAsync("old");
        await Store.AddTokenAsync(Samples.Token(receipts.Upstream.Id, "tok_live", Samples.T0), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(alerts.Upstream.Id, "tok_revoked", Samples.T0.AddDays(1)), AuditSamples.Change, Ct);
        await Store.RevokeTokenAsync("tok_revoked", Samples.T0.AddDays(2), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(removed.Upstream.Id, "tok_of_removed", Samples.T0.AddDays(3)), AuditSamples.Change, Ct);
        await Store.RemoveUpstreamAsync("old", Samples.T0.AddDays(4), AuditSamples.Change, Ct);

        var snapshot = await Store.ReadSnapshotAsync(Ct);

        Assert.Equal(await Store.GetRevisionAsync(Ct), snapshot.Revision);
        Assert.Equal(["alerts", "receipts"], snapshot.Upstreams.Select(u => u.Upstream.Name));
        foreach (var (expected, actual) in new[] { alerts, receipts }.Zip(snapshot.Upstreams))
        {
            Assert.Equal(expected.Upstream, actual.Upstream);
            RecordAssert.Equal(expected.CurrentKey!, actual.CurrentKey);
        }

        Assert.Equal(["tok_of_removed", "tok_revoked", "tok_live"], snapshot.Tokens.Select(t => t.Id));
        foreach (var token in snapshot.Tokens)
        {
            RecordAssert.Equal((await Store.FindTokenAsync(token.Id, Ct))!, token);
        }
    }

    [Fact]
    public async Task Snapshot_DuringARotation_HasTheCurrentKey_AndAfterPromotionTheNewOne()
    {
        var (upstream, old) = await AddUpstreamAsync("newsletter");
        var audit = AuditEntry.ForAdmin(Samples.T0, "alice", "rotation.test", upstream.Name, "test") with { UpstreamId = upstream.Id };
        var rotation = new RotationRecord("rot_1", upstream.Id, RotationState.Requested, RotationReason.Scheduled, null, old!.Id, null, Samples.T0, Samples.T0);
        await Store.StartRotationAsync(rotation, RotationMachine.Open("alice", "test", Samples.T0), audit, Ct);
        await Store.AdvanceRotationAsync("rot_1", Step(RotationState.Requested, RotationState.AwaitingNewKey), audit, Ct);
        var pending = Samples.CurrentKey(upstream, Master, KeySlot.Pending, "key_new");
        await Store.StagePendingKeyAsync("rot_1", pending, Step(RotationState.AwaitingNewKey, RotationState.Verifying), audit, Ct);
        await Store.AdvanceRotationAsync("rot_1", Step(RotationState.Verifying, RotationState.Staged), audit, Ct);

        Assert.Equal(old.Id, Assert.Single((await Store.ReadSnapshotAsync(Ct)).Upstreams).CurrentKey?.Id);

        await Store.PromoteAsync("rot_1", Step(RotationState.Staged, RotationState.Promoted), audit, Ct);

        var promoted = Assert.Single((await Store.ReadSnapshotAsync(Ct)).Upstreams).CurrentKey;
        Assert.Equal(("key_new", KeySlot.Current), (promoted?.Id, promoted?.Slot));
    }

    [Fact]
    public async Task Snapshot_TakenWhileAnotherInstanceWrites_HoldsExactlyWhatItsRevisionHolds()
    {
        var (upstream, _) = await AddUpstreamAsync("newsletter");
        var other = await OpenAnotherInstanceAsync();
        var tokensAt = new Dictionary<long, int> { [await Store.GetRevisionAsync(Ct)] = 0 };

        // One writer, so the revision it reads after each commit is that commit's; the map is complete once it is done.
        var writer = Task.Run(
            async () =>
            {
                for (var i = 1; i <= 40; i++)
                {
                    await other.AddTokenAsync(Samples.Token(upstream.Id, $"tok_{i:D2}"), AuditSamples.Change, Ct);
                    var revision = await other.GetRevisionAsync(Ct);
                    lock (tokensAt)
                    {
                        tokensAt[revision] = i;
                    }
                }
            },
            Ct);
        var snapshots = new List<StoreSnapshot>();
        while (!writer.IsCompleted)
        {
            snapshots.Add(await Store.ReadSnapshotAsync(Ct));
        }

        await writer;
        snapshots.Add(await Store.ReadSnapshotAsync(Ct));
        foreach (var snapshot in snapshots)
        {
            Assert.True(tokensAt.TryGetValue(snapshot.Revision, out var count), $"revision {snapshot.Revision} is not one a write committed");
            Assert.Equal(count, snapshot.Tokens.Count);
        }
    }

    private static RotationTransition Step(RotationState from, RotationState to) => RotationMachine.Step(from, to, "alice", "test", Samples.T0);

    private async Task<(UpstreamRecord Upstream, UpstreamKeyRecord? CurrentKey)> AddUpstreamAsync(string name)
    {
        var upstream = Samples.Upstream(name);
        var key = Samples.CurrentKey(upstream, Master);
        await Store.AddUpstreamAsync(upstream, key, AuditSamples.Change, Ct);
        return (upstream, key);
    }
}
