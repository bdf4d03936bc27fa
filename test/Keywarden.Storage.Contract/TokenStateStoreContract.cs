using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage.Contract;

/// <summary>
/// Decoys, suspension and the on-anomaly setting (<see cref="ITokenStore.SuspendTokenAsync"/>,
/// <see cref="ITokenStore.ResumeTokenAsync"/>): stored and read back whole, each change with its audit record in its own
/// transaction, refusals writing nothing, and every change reaching a gateway through the revision and the snapshot.
/// </summary>
public abstract class TokenStateStoreContract : StoreContract
{
    private const string Reason = "alert al_1 (volume): 412 requests in an hour, expected at most 60";

    protected UpstreamRecord Upstream { get; } = Samples.Upstream();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.AddUpstreamAsync(Upstream, Samples.CurrentKey(Upstream, Master), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_1"), AuditSamples.Change, Ct);
    }

    [Fact]
    public async Task AddToken_ADecoyWithItsOnAnomalySetting_ReadsBackWhole_ByIdHashListAndSnapshot()
    {
        var decoy = Samples.Token(Upstream.Id, "tok_decoy") with { Decoy = true, OnAnomaly = AnomalyResponse.Suspend };

        await Store.AddTokenAsync(decoy, AuditSamples.Change, Ct);

        RecordAssert.Equal(decoy, await Store.FindTokenAsync("tok_decoy", Ct));
        RecordAssert.Equal(decoy, await Store.FindTokenByHashAsync(decoy.Hash, Ct));
        RecordAssert.Equal(decoy, (await Store.ListTokensAsync(Ct)).Single(t => t.Id == "tok_decoy"));
        RecordAssert.Equal(decoy, (await Store.ReadSnapshotAsync(Ct)).Tokens.Single(t => t.Id == "tok_decoy"));
    }

    [Fact]
    public async Task AddToken_WithoutTheNewFields_IsNoDecoy_NotSuspended_AndFollowsTheServerDefault()
    {
        var token = await Store.FindTokenAsync("tok_1", Ct);

        Assert.False(token!.Decoy);
        Assert.Null(token.Suspension);
        Assert.Null(token.OnAnomaly);
    }

    [Fact]
    public async Task AddToken_AlreadySuspended_ReadsBackItsSuspension()
    {
        var held = Samples.Token(Upstream.Id, "tok_2") with { Suspension = new TokenSuspension(Samples.T0.AddHours(1), Reason) };

        await Store.AddTokenAsync(held, AuditSamples.Change, Ct);

        RecordAssert.Equal(held, await Store.FindTokenAsync("tok_2", Ct));
    }

    [Fact]
    public async Task SuspendToken_RecordsTimeAndReason_AndAppendsItsRecord()
    {
        var entry = Entry("token.suspend", Reason);

        var (changed, appended) = await AppendedByAsync(() => Store.SuspendTokenAsync("tok_1", Samples.T0.AddHours(1).AddTicks(5), Reason, entry, Ct));

        Assert.True(changed);
        Assert.Equal(entry, Assert.Single(appended).Entry);
        Assert.Equal(new TokenSuspension(Samples.T0.AddHours(1), Reason), (await Store.FindTokenAsync("tok_1", Ct))!.Suspension);
    }

    [Fact]
    public async Task SuspendToken_WhenAlreadySuspended_KeepsTheFirstSuspension_AndWritesNothing()
    {
        await Store.SuspendTokenAsync("tok_1", Samples.T0.AddHours(1), Reason, Entry("token.suspend", Reason), Ct);
        var revision = await Store.GetRevisionAsync(Ct);

        var (changed, appended) = await AppendedByAsync(
            () => Store.SuspendTokenAsync("tok_1", Samples.T0.AddHours(2), "another alert", Entry("token.suspend", "another alert"), Ct));

        Assert.False(changed);
        Assert.Empty(appended);
        Assert.Equal(revision, await Store.GetRevisionAsync(Ct));
        Assert.Equal(new TokenSuspension(Samples.T0.AddHours(1), Reason), (await Store.FindTokenAsync("tok_1", Ct))!.Suspension);
    }

    [Fact]
    public async Task SuspendToken_ThatIsRevoked_IsAConflict_AndWritesNothing()
    {
        await Store.RevokeTokenAsync("tok_1", Samples.T0, AuditSamples.Change, Ct);

        var (error, appended) = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.SuspendTokenAsync("tok_1", Samples.T0, Reason, Entry("token.suspend", Reason), Ct)));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Contains("revoked", error.Message, StringComparison.Ordinal);
        Assert.Empty(appended);
        Assert.Null((await Store.FindTokenAsync("tok_1", Ct))!.Suspension);
    }

    [Fact]
    public async Task SuspendToken_ThatIsADecoy_IsAConflict_AndWritesNothing()
    {
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_decoy") with { Decoy = true }, AuditSamples.Change, Ct);

        var (error, appended) = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.SuspendTokenAsync("tok_decoy", Samples.T0, Reason, Entry("token.suspend", Reason), Ct)));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Contains("decoy", error.Message, StringComparison.Ordinal);
        Assert.Empty(appended);
    }

    [Fact]
    public async Task SuspendToken_ThatDoesNotExist_IsNotFound_AndWritesNothing()
    {
        var (error, appended) = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.SuspendTokenAsync("tok_missing", Samples.T0, Reason, Entry("token.suspend", Reason), Ct)));

        Assert.Equal(StorageError.NotFound, error.Error);
        Assert.Empty(appended);
    }

    [Fact]
    public async Task ResumeToken_ClearsTheSuspension_AndAppendsItsRecord()
    {
        await Store.SuspendTokenAsync("tok_1", Samples.T0, Reason, Entry("token.suspend", Reason), Ct);
        var entry = Entry("token.resume", "checked with the team");

        var (changed, appended) = await AppendedByAsync(() => Store.ResumeTokenAsync("tok_1", entry, Ct));

        Assert.True(changed);
        Assert.Equal(entry, Assert.Single(appended).Entry);
        Assert.Null((await Store.FindTokenAsync("tok_1", Ct))!.Suspension);
    }

    [Fact]
    public async Task ResumeToken_ThatIsNotSuspended_ReturnsFalse_AndWritesNothing()
    {
        var revision = await Store.GetRevisionAsync(Ct);

        var (changed, appended) = await AppendedByAsync(() => Store.ResumeTokenAsync("tok_1", Entry("token.resume", "tok_1"), Ct));

        Assert.False(changed);
        Assert.Empty(appended);
        Assert.Equal(revision, await Store.GetRevisionAsync(Ct));
    }

    [Fact]
    public async Task ResumeToken_ThatDoesNotExist_IsNotFound_AndWritesNothing()
    {
        var (error, appended) = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.ResumeTokenAsync("tok_missing", Entry("token.resume", "tok_missing"), Ct)));

        Assert.Equal(StorageError.NotFound, error.Error);
        Assert.Empty(appended);
    }

    [Fact]
    public async Task ResumeToken_SuspendedThenRevoked_ClearsTheSuspension_AndStaysRevoked()
    {
        await Store.SuspendTokenAsync("tok_1", Samples.T0, Reason, Entry("token.suspend", Reason), Ct);
        await Store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(1), AuditSamples.Change, Ct);

        Assert.True(await Store.ResumeTokenAsync("tok_1", Entry("token.resume", "tok_1"), Ct));

        var token = await Store.FindTokenAsync("tok_1", Ct);
        Assert.Null(token!.Suspension);
        Assert.Equal(Samples.T0.AddHours(1), token.RevokedAt);
    }

    [Fact]
    public async Task SuspendAndResume_MoveTheRevision_AndAnotherInstancesSnapshotSeesThem()
    {
        var gateway = await OpenAnotherInstanceAsync();
        var before = await gateway.GetRevisionAsync(Ct);

        await Store.SuspendTokenAsync("tok_1", Samples.T0, Reason, Entry("token.suspend", Reason), Ct);
        var suspended = await gateway.ReadSnapshotAsync(Ct);
        await Store.ResumeTokenAsync("tok_1", Entry("token.resume", "tok_1"), Ct);
        var resumed = await gateway.ReadSnapshotAsync(Ct);

        Assert.True(suspended.Revision > before);
        Assert.Equal(Reason, suspended.Tokens.Single().Suspension?.Reason);
        Assert.True(resumed.Revision > suspended.Revision);
        Assert.Null(resumed.Tokens.Single().Suspension);
    }

    [Fact]
    public async Task SuspendToken_WithAReasonThatIsNotValidUnicode_IsRefusedRatherThanAltered()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.SuspendTokenAsync("tok_1", Samples.T0, "alert \uDC00", Entry("token.suspend", "bad"), Ct));

        Assert.Null((await Store.FindTokenAsync("tok_1", Ct))!.Suspension);
    }

    [Fact]
    public async Task RotateToken_OfADecoy_IsAConflict()
    {
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_decoy") with { Decoy = true }, AuditSamples.Change, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.RotateTokenAsync(
            "tok_decoy", Samples.Token(Upstream.Id, "tok_next", Samples.T0.AddDays(1)), Samples.T0.AddDays(2), _ => AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Null(await Store.FindTokenAsync("tok_next", Ct));
    }

    [Fact]
    public async Task SetOnAnomaly_ChangesTheSetting_AndAppendsItsRecord_TheSameAgainWritesNothing()
    {
        var entry = Entry("token.on-anomaly", "on anomaly: suspend");

        var (changed, appended) = await AppendedByAsync(() => Store.SetOnAnomalyAsync("tok_1", AnomalyResponse.Suspend, entry, Ct));
        var (again, appendedAgain) = await AppendedByAsync(() => Store.SetOnAnomalyAsync("tok_1", AnomalyResponse.Suspend, entry, Ct));
        var (cleared, _) = await AppendedByAsync(() => Store.SetOnAnomalyAsync("tok_1", null, Entry("token.on-anomaly", "on anomaly: the server's default"), Ct));

        Assert.True(changed);
        Assert.Equal(entry, Assert.Single(appended).Entry);
        Assert.False(again);
        Assert.Empty(appendedAgain);
        Assert.True(cleared);
        Assert.Null((await Store.FindTokenAsync("tok_1", Ct))!.OnAnomaly);
    }

    [Fact]
    public async Task SetOnAnomaly_OfADecoy_IsAConflict_OfNoToken_NotFound_AndNeitherWrites()
    {
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_decoy") with { Decoy = true }, AuditSamples.Change, Ct);

        var (decoy, appended) = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.SetOnAnomalyAsync("tok_decoy", AnomalyResponse.Suspend, Entry("token.on-anomaly", "x"), Ct)));
        var (missing, appendedMissing) = await AppendedByAsync(() => Assert.ThrowsAsync<StorageException>(
            () => Store.SetOnAnomalyAsync("tok_missing", AnomalyResponse.Suspend, Entry("token.on-anomaly", "x"), Ct)));

        Assert.Equal((StorageError.Conflict, StorageError.NotFound), (decoy.Error, missing.Error));
        Assert.Empty(appended.Concat(appendedMissing));
        Assert.Null((await Store.FindTokenAsync("tok_decoy", Ct))!.OnAnomaly);
    }

    private static AuditEntry Entry(string action, string detail) =>
        AuditEntry.ForAdmin(Samples.T0, "alice", action, "tok_1", detail);

    /// <summary>What <paramref name="change"/> returned, and the records appended to the log while it ran.</summary>
    private async Task<(T Result, IReadOnlyList<AuditRecord> Appended)> AppendedByAsync<T>(Func<Task<T>> change)
    {
        var head = (await Store.TailAsync(1, Ct)).SingleOrDefault()?.Sequence ?? 0;
        var result = await change();
        return (result, await Store.ReadAsync(head, 100, Ct));
    }
}
