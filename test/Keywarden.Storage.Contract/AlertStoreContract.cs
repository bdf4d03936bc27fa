using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage.Contract;

/// <summary>
/// <see cref="IAlertStore"/>: one live alert per dedup key counting its repeats, the allowed changes of state, each
/// new alert and change of state recorded in the audit log in its own transaction (repeats not), the listing's filters
/// and pages, and two instances raising one anomaly at once.
/// </summary>
public abstract class AlertStoreContract : StoreContract
{
    private int _ids;

    [Fact]
    public async Task Raise_OfANewAnomaly_OpensAnAlertWithEveryField()
    {
        var raise = Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0, "412 requests in the hour; usually 30") with { Client = "203.0.113.9", Learning = true };

        var raised = await Store.RaiseAsync(raise, Ct);

        Assert.True(raised.IsNew);
        var expected = new AlertRecord(
            raise.Id, "volume", AlertSeverity.Warning, "tok_1", "up_newsletter", "203.0.113.9", "volume|tok_1",
            Samples.T0, Samples.T0, 1, raise.Why, raise.Why, Learning: true, AlertState.Open);
        Assert.Equal(expected, raised.Alert);
        Assert.Equal(expected, await Store.FindAlertAsync(raise.Id, Ct));
    }

    [Fact]
    public async Task Raise_OfTheSameKeyWhileOpen_CountsIntoTheAlert_KeepingTheFirstAndMovingTheLast()
    {
        var first = await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0, "first why") with { Client = "203.0.113.9" }, Ct);

        await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0.AddMinutes(5), "second why") with { Client = "198.51.100.1" }, Ct);
        var third = await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0.AddMinutes(9), "third why"), Ct);

        Assert.False(third.IsNew);
        var alert = third.Alert;
        Assert.Equal(first.Alert.Id, alert.Id);
        Assert.Equal(3, alert.Count);
        Assert.Equal(Samples.T0, alert.FirstTime);
        Assert.Equal(Samples.T0.AddMinutes(9), alert.LastTime);
        Assert.Equal("first why", alert.FirstWhy);
        Assert.Equal("third why", alert.LastWhy);
        Assert.Equal("203.0.113.9", alert.Client);
        Assert.Equal(AlertState.Open, alert.State);
        Assert.Equal(alert, await Store.FindAlertAsync(alert.Id, Ct));
        Assert.Single(await Store.ListAlertsAsync(new AlertQuery(), Ct));
    }

    [Fact]
    public async Task Raise_OfTheSameKey_KeepsTheHighestSeverity()
    {
        await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0), Ct);
        var critical = await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Critical, Samples.T0.AddMinutes(1)), Ct);
        var info = await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Info, Samples.T0.AddMinutes(2)), Ct);

        Assert.Equal(AlertSeverity.Critical, critical.Alert.Severity);
        Assert.Equal(AlertSeverity.Critical, info.Alert.Severity);
    }

    [Fact]
    public async Task Raise_OfAnOccurrenceOlderThanTheFirst_MakesItTheFirst_AndLeavesTheLatest()
    {
        await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0.AddHours(1), "later"), Ct);

        var alert = (await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning, Samples.T0, "earlier"), Ct)).Alert;

        Assert.Equal((Samples.T0, "earlier"), (alert.FirstTime, alert.FirstWhy));
        Assert.Equal((Samples.T0.AddHours(1), "later"), (alert.LastTime, alert.LastWhy));
    }

    [Fact]
    public async Task Raise_StaysALearningAlertOnlyWhileEveryOccurrenceIsFromTheLearningPeriod()
    {
        var learning = await Store.RaiseAsync(Raise("new-network|tok_1") with { Learning = true }, Ct);
        var still = await Store.RaiseAsync(Raise("new-network|tok_1") with { Learning = true }, Ct);
        var learned = await Store.RaiseAsync(Raise("new-network|tok_1") with { Learning = false }, Ct);
        var after = await Store.RaiseAsync(Raise("new-network|tok_1") with { Learning = true }, Ct);

        Assert.Equal([true, true, false, false], new[] { learning, still, learned, after }.Select(r => r.Alert.Learning));
    }

    [Fact]
    public async Task Raise_OfTheSameKeyWhileAcknowledged_CountsIntoTheAlert()
    {
        var opened = await Store.RaiseAsync(Raise("decoy|tok_1"), Ct);
        await Store.AcknowledgeAsync(opened.Alert.Id, "alice", Samples.T0.AddMinutes(1), null, Ct);

        var repeat = await Store.RaiseAsync(Raise("decoy|tok_1", time: Samples.T0.AddMinutes(2)), Ct);

        Assert.False(repeat.IsNew);
        Assert.Equal(opened.Alert.Id, repeat.Alert.Id);
        Assert.Equal(AlertState.Acknowledged, repeat.Alert.State);
        Assert.Equal(2, repeat.Alert.Count);
    }

    [Fact]
    public async Task Raise_OfTheSameKeyAfterItsAlertWasResolved_OpensANewAlert()
    {
        var opened = await Store.RaiseAsync(Raise("decoy|tok_1"), Ct);
        await Store.ResolveAsync(opened.Alert.Id, "alice", Samples.T0.AddMinutes(1), "false alarm", Ct);

        var again = await Store.RaiseAsync(Raise("decoy|tok_1", time: Samples.T0.AddMinutes(2)), Ct);
        var repeat = await Store.RaiseAsync(Raise("decoy|tok_1", time: Samples.T0.AddMinutes(3)), Ct);

        Assert.True(again.IsNew);
        Assert.NotEqual(opened.Alert.Id, again.Alert.Id);
        Assert.Equal((AlertState.Open, 1), (again.Alert.State, again.Alert.Count));
        Assert.Equal(again.Alert.Id, repeat.Alert.Id);
        Assert.Equal(2, repeat.Alert.Count);
        var resolved = await Store.FindAlertAsync(opened.Alert.Id, Ct);
        Assert.Equal((AlertState.Resolved, 1), (resolved!.State, resolved.Count));
    }

    [Fact]
    public async Task Raise_OfDifferentKeys_OpensDifferentAlerts()
    {
        var volume = await Store.RaiseAsync(Raise("volume|tok_1"), Ct);
        var network = await Store.RaiseAsync(Raise("new-network|tok_1"), Ct);

        Assert.True(volume.IsNew && network.IsNew);
        Assert.Equal(2, (await Store.ListAlertsAsync(new AlertQuery(), Ct)).Count);
    }

    [Fact]
    public async Task Raise_OfANewAlert_AppendsItsRecord_ARepeatAppendsNone()
    {
        var raise = Raise("volume|tok_1", AlertSeverity.Critical, Samples.T0, "412 requests in the hour; usually 30");

        var appended = await AppendedByAsync(async () =>
        {
            await Store.RaiseAsync(raise, Ct);
            await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Critical, Samples.T0.AddMinutes(1)), Ct);
        });

        var entry = Assert.Single(appended).Entry;
        Assert.Equal(
            AuditEntry.ForAdmin(Samples.T0, "monitor", "alert.raise", raise.Id, "critical volume: 412 requests in the hour; usually 30")
                with { TokenId = "tok_1", UpstreamId = "up_newsletter" },
            entry);
    }

    [Fact]
    public async Task Raise_RetriedWithTheSameId_CountsIntoTheAlert_AndAppendsNoSecondRecord()
    {
        var raise = Raise("volume|tok_1");
        await Store.RaiseAsync(raise, Ct);

        var appended = await AppendedByAsync(async () =>
        {
            var retried = await Store.RaiseAsync(raise, Ct);
            Assert.False(retried.IsNew);
            Assert.Equal((raise.Id, 2L), (retried.Alert.Id, retried.Alert.Count));
        });

        Assert.Empty(appended);
    }

    [Fact]
    public async Task Raise_WithTheIdOfAnotherAlert_IsAConflict_AndWritesNothing()
    {
        var first = await Store.RaiseAsync(Raise("volume|tok_1"), Ct);

        var appended = await AppendedByAsync(async () =>
        {
            var refused = await Assert.ThrowsAsync<StorageException>(() => Store.RaiseAsync(Raise("volume|tok_2") with { Id = first.Alert.Id }, Ct));
            Assert.Equal(StorageError.Conflict, refused.Error);
        });

        Assert.Empty(appended);
        Assert.Single(await Store.ListAlertsAsync(new AlertQuery(), Ct));
    }

    [Fact]
    public async Task Raise_Incomplete_IsRefusedAsMisuse()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RaiseAsync(Raise("volume|tok_1") with { Why = " " }, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RaiseAsync(Raise("volume|tok_1") with { Severity = (AlertSeverity)7 }, Ct));
    }

    [Fact]
    public async Task Acknowledge_AnOpenAlert_RecordsWhoWhenAndWhy_AndAppendsItsRecord()
    {
        var opened = (await Store.RaiseAsync(Raise("volume|tok_1", AlertSeverity.Warning), Ct)).Alert;
        AlertRecord acknowledged = null!;

        var appended = await AppendedByAsync(async () =>
            acknowledged = await Store.AcknowledgeAsync(opened.Id, "alice", Samples.T0.AddHours(1), "looking into it", Ct));

        Assert.Equal(
            opened with { State = AlertState.Acknowledged, AcknowledgedBy = "alice", AcknowledgedAt = Samples.T0.AddHours(1), AcknowledgeNote = "looking into it" },
            acknowledged);
        Assert.Equal(acknowledged, await Store.FindAlertAsync(opened.Id, Ct));
        Assert.Equal(
            AuditEntry.ForAdmin(Samples.T0.AddHours(1), "alice", "alert.ack", opened.Id, "warning volume: looking into it")
                with { TokenId = "tok_1", UpstreamId = "up_newsletter" },
            Assert.Single(appended).Entry);
    }

    [Fact]
    public async Task Resolve_AnOpenAlert_AndAnAcknowledgedOne_RecordsWhoWhenAndWhy_AndAppendsTheirRecords()
    {
        var open = (await Store.RaiseAsync(Raise("volume|tok_1"), Ct)).Alert;
        var acknowledged = (await Store.RaiseAsync(Raise("decoy|tok_2", AlertSeverity.Critical) with { TokenId = "tok_2" }, Ct)).Alert;
        await Store.AcknowledgeAsync(acknowledged.Id, "alice", Samples.T0.AddHours(1), null, Ct);

        var appended = await AppendedByAsync(async () =>
        {
            var resolved = await Store.ResolveAsync(open.Id, "bob", Samples.T0.AddHours(2), null, Ct);
            Assert.Equal(open with { State = AlertState.Resolved, ResolvedBy = "bob", ResolvedAt = Samples.T0.AddHours(2) }, resolved);
            resolved = await Store.ResolveAsync(acknowledged.Id, "bob", Samples.T0.AddHours(3), "token revoked", Ct);
            Assert.Equal((AlertState.Resolved, "alice", "bob", "token revoked"), (resolved.State, resolved.AcknowledgedBy, resolved.ResolvedBy, resolved.ResolveNote));
        });

        Assert.Equal(
            [
                AuditEntry.ForAdmin(Samples.T0.AddHours(2), "bob", "alert.resolve", open.Id, "warning volume") with { TokenId = "tok_1", UpstreamId = "up_newsletter" },
                AuditEntry.ForAdmin(Samples.T0.AddHours(3), "bob", "alert.resolve", acknowledged.Id, "critical decoy: token revoked")
                    with { TokenId = "tok_2", UpstreamId = "up_newsletter" },
            ],
            appended.Select(r => r.Entry));
    }

    [Fact]
    public async Task ChangesOfStateOtherThanOpenToAcknowledgedToResolved_AreConflicts_AndWriteNothing()
    {
        var acknowledged = (await Store.RaiseAsync(Raise("volume|tok_1"), Ct)).Alert;
        acknowledged = await Store.AcknowledgeAsync(acknowledged.Id, "alice", Samples.T0.AddHours(1), null, Ct);
        var resolved = (await Store.RaiseAsync(Raise("decoy|tok_1"), Ct)).Alert;
        resolved = await Store.ResolveAsync(resolved.Id, "alice", Samples.T0.AddHours(1), null, Ct);

        var appended = await AppendedByAsync(async () =>
        {
            await Conflict(() => Store.AcknowledgeAsync(acknowledged.Id, "bob", Samples.T0.AddHours(2), "again", Ct));
            await Conflict(() => Store.AcknowledgeAsync(resolved.Id, "bob", Samples.T0.AddHours(2), "late", Ct));
            await Conflict(() => Store.ResolveAsync(resolved.Id, "bob", Samples.T0.AddHours(2), "again", Ct));
        });

        Assert.Empty(appended);
        Assert.Equal(acknowledged, await Store.FindAlertAsync(acknowledged.Id, Ct));
        Assert.Equal(resolved, await Store.FindAlertAsync(resolved.Id, Ct));

        static async Task Conflict(Func<Task> change) => Assert.Equal(StorageError.Conflict, (await Assert.ThrowsAsync<StorageException>(change)).Error);
    }

    [Fact]
    public async Task ChangesOfNoSuchAlert_AreNotFound_AndWriteNothing()
    {
        var appended = await AppendedByAsync(async () =>
        {
            await NotFound(() => Store.AcknowledgeAsync("al_nothing", "alice", Samples.T0, null, Ct));
            await NotFound(() => Store.ResolveAsync("al_nothing", "alice", Samples.T0, null, Ct));
            await NotFound(() => Store.SetActionAsync("al_nothing", "token tok_1 suspended", Ct));
        });

        Assert.Empty(appended);
        Assert.Null(await Store.FindAlertAsync("al_nothing", Ct));

        static async Task NotFound(Func<Task> change) => Assert.Equal(StorageError.NotFound, (await Assert.ThrowsAsync<StorageException>(change)).Error);
    }

    [Fact]
    public async Task SetAction_RecordsWhatWasDone_ReplacingWhatWasRecordedBefore_InAnyState()
    {
        var alert = (await Store.RaiseAsync(Raise("volume|tok_1"), Ct)).Alert;

        var first = await Store.SetActionAsync(alert.Id, "token tok_1 suspended", Ct);
        await Store.ResolveAsync(alert.Id, "alice", Samples.T0.AddHours(1), null, Ct);
        var second = await Store.SetActionAsync(alert.Id, "token tok_1 suspended; resumed by alice", Ct);

        Assert.Equal(alert with { Action = "token tok_1 suspended" }, first);
        Assert.Equal("token tok_1 suspended; resumed by alice", second.Action);
        Assert.Equal(AlertState.Resolved, second.State);
        Assert.Equal(second, await Store.FindAlertAsync(alert.Id, Ct));
    }

    [Fact]
    public async Task WhenTheAuditLogRefuses_NoAlertIsOpenedAndNoStateChanges()
    {
        var open = (await Store.RaiseAsync(Raise("volume|tok_1"), Ct)).Alert;
        await Database.RefuseAuditAppendsAsync();

        await Assert.ThrowsAsync<StorageException>(() => Store.RaiseAsync(Raise("decoy|tok_1"), Ct));
        await Assert.ThrowsAsync<StorageException>(() => Store.AcknowledgeAsync(open.Id, "alice", Samples.T0, null, Ct));
        await Assert.ThrowsAsync<StorageException>(() => Store.ResolveAsync(open.Id, "alice", Samples.T0, null, Ct));

        Assert.Equal([open], await Store.ListAlertsAsync(new AlertQuery(), Ct));
    }

    [Fact]
    public async Task List_IsLastSeenFirst_ThenByIdDescending()
    {
        var older = await RaiseNewAsync("volume|tok_1", Samples.T0);
        var newer = await RaiseNewAsync("volume|tok_2", Samples.T0.AddMinutes(2));
        var moved = await RaiseNewAsync("volume|tok_3", Samples.T0.AddMinutes(1));
        await Store.RaiseAsync(Raise("volume|tok_3", time: Samples.T0.AddMinutes(3)), Ct);
        var tieA = await RaiseNewAsync("decoy|a", Samples.T0.AddMinutes(-1), "al_tie_a");
        var tieB = await RaiseNewAsync("decoy|b", Samples.T0.AddMinutes(-1), "al_tie_b");

        var listed = await Store.ListAlertsAsync(new AlertQuery(), Ct);

        Assert.Equal([moved, newer, older, tieB, tieA], listed.Select(a => a.Id));
    }

    [Fact]
    public async Task List_FiltersByStateSeverityTokenAndDetector_AllTogether()
    {
        var info = await RaiseNewAsync("volume|tok_1", Samples.T0, severity: AlertSeverity.Info);
        var warning = await RaiseNewAsync("new-network|tok_1", Samples.T0.AddMinutes(1), severity: AlertSeverity.Warning, detector: "new-network");
        var critical = await RaiseNewAsync("decoy|tok_2", Samples.T0.AddMinutes(2), severity: AlertSeverity.Critical, detector: "decoy", tokenId: "tok_2");
        var address = await RaiseNewAsync("denials|203.0.113.9", Samples.T0.AddMinutes(3), severity: AlertSeverity.Warning, detector: "denials", tokenId: null);
        await Store.AcknowledgeAsync(warning, "alice", Samples.T0.AddHours(1), null, Ct);
        await Store.ResolveAsync(critical, "alice", Samples.T0.AddHours(1), null, Ct);

        Assert.Equal([address, warning, info], await IdsAsync(new AlertQuery { States = [AlertState.Open, AlertState.Acknowledged] }));
        Assert.Equal([critical], await IdsAsync(new AlertQuery { States = [AlertState.Resolved] }));
        Assert.Equal([address, critical, warning], await IdsAsync(new AlertQuery { MinimumSeverity = AlertSeverity.Warning }));
        Assert.Equal([critical], await IdsAsync(new AlertQuery { MinimumSeverity = AlertSeverity.Critical }));
        Assert.Equal([warning, info], await IdsAsync(new AlertQuery { TokenId = "tok_1" }));
        Assert.Equal([warning], await IdsAsync(new AlertQuery { Detector = "new-network" }));
        Assert.Equal([warning], await IdsAsync(new AlertQuery { TokenId = "tok_1", MinimumSeverity = AlertSeverity.Warning, States = [AlertState.Acknowledged] }));
        Assert.Empty(await IdsAsync(new AlertQuery { TokenId = "tok_2", States = [AlertState.Open] }));
    }

    [Fact]
    public async Task List_InPages_ReturnsEveryAlertOnce_InOrder()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            // Two alerts per instant: pages must break ties by id, not skip or repeat them.
            ids.Add(await RaiseNewAsync($"volume|tok_{i}", Samples.T0.AddMinutes(i / 2)));
        }

        var paged = new List<string>();
        var query = new AlertQuery { Limit = 3 };
        while (true)
        {
            var page = await Store.ListAlertsAsync(query, Ct);
            Assert.InRange(page.Count, 0, 3);
            paged.AddRange(page.Select(a => a.Id));
            if (page.Count < 3)
            {
                break;
            }

            query = query with { Before = AlertCursor.After(page[^1]) };
        }

        Assert.Equal(await IdsAsync(new AlertQuery()), paged);
        Assert.Equal(ids.Order(StringComparer.Ordinal), paged.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AlertQuery.MaxLimit + 1)]
    public async Task List_WithALimitOutOfRange_IsRefusedAsMisuse(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAlertsAsync(new AlertQuery { Limit = limit }, Ct));
    }

    [Fact]
    public async Task Raise_FromTwoInstancesAtOnce_OfOneAnomaly_OpensOneAlertCountingEveryRaise()
    {
        var other = await OpenAnotherInstanceAsync();
        const int PerInstance = 20;

        // Each raise on a thread of its own: an engine may wait for its locks synchronously.
        var raises = Enumerable.Range(0, PerInstance)
            .SelectMany(i => new[] { (Store, i), (other, i) })
            .Select(pair => Task.Run(() => pair.Item1.RaiseAsync(Raise("volume|tok_1", time: Samples.T0.AddSeconds(pair.i)), Ct), Ct))
            .ToArray();
        var results = await Task.WhenAll(raises);

        Assert.Single(results, r => r.IsNew);
        var alert = Assert.Single(await Store.ListAlertsAsync(new AlertQuery(), Ct));
        Assert.Equal(2 * PerInstance, alert.Count);
        Assert.All(results, r => Assert.Equal(alert.Id, r.Alert.Id));
        Assert.Single(await Store.ReadAsync(0, 1000, Ct), r => r.Entry.Method == "alert.raise");
    }

    /// <summary>A raise about token <c>tok_1</c> of upstream <c>up_newsletter</c>, with a fresh id.</summary>
    private AlertRaise Raise(string dedupKey, AlertSeverity severity = AlertSeverity.Warning, DateTimeOffset? time = null, string? why = null) => new(
        Id: $"al_{Interlocked.Increment(ref _ids):D12}",
        Detector: dedupKey.Split('|')[0],
        Severity: severity,
        TokenId: "tok_1",
        UpstreamId: "up_newsletter",
        Client: null,
        DedupKey: dedupKey,
        Time: time ?? Samples.T0,
        Why: why ?? "observed more than expected",
        Learning: false);

    private async Task<string> RaiseNewAsync(
        string dedupKey, DateTimeOffset time, string? id = null, AlertSeverity severity = AlertSeverity.Warning, string detector = "volume", string? tokenId = "tok_1")
    {
        var raise = Raise(dedupKey, severity, time) with { Detector = detector, TokenId = tokenId };
        var raised = await Store.RaiseAsync(id is null ? raise : raise with { Id = id }, Ct);
        Assert.True(raised.IsNew);
        return raised.Alert.Id;
    }

    private async Task<IReadOnlyList<string>> IdsAsync(AlertQuery query) => (await Store.ListAlertsAsync(query, Ct)).Select(a => a.Id).ToList();

    /// <summary>The records appended to the log while <paramref name="change"/> ran.</summary>
    private async Task<IReadOnlyList<AuditRecord>> AppendedByAsync(Func<Task> change)
    {
        var head = (await Store.TailAsync(1, Ct)).SingleOrDefault()?.Sequence ?? 0;
        await change();
        return await Store.ReadAsync(head, 100, Ct);
    }
}
