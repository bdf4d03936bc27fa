using Keywarden.Core.Audit;
using Keywarden.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class AuditStoreTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private SqliteKeywardenStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await _database.OpenAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Append_ThenReadAndTail_ReturnEveryFieldAsLinked_AtMillisecondPrecision()
    {
        var entries = AuditSamples.Requests(6).Append(AuditSamples.Admin(7)).ToArray();

        var appended = await _store.AppendAsync(entries, Ct);
        var read = await _store.ReadAsync(0, 100, Ct);
        var tail = await _store.TailAsync(3, Ct);

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], read.Select(r => r.Sequence));
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Equal(appended[i].Entry, read[i].Entry);
            Assert.Equal(appended[i].PreviousHash, read[i].PreviousHash);
            Assert.Equal(appended[i].Hash, read[i].Hash);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(entries[i].Time.ToUnixTimeMilliseconds()), read[i].Entry.Time);
            Assert.Equal(entries[i] with { Time = read[i].Entry.Time }, read[i].Entry);
        }

        Assert.Equal([5L, 6, 7], tail.Select(r => r.Sequence));
        Assert.True(AuditChain.Verify(read).Intact);
    }

    [Fact]
    public async Task Append_InSeveralCalls_ContinuesOneChain()
    {
        await _store.AppendAsync(AuditSamples.Requests(3), Ct);
        await _store.AppendAsync([AuditSamples.Admin(1)], Ct);
        await _store.AppendAsync(AuditSamples.Requests(2, from: 10), Ct);

        var all = await ToListAsync(_store.ReadAllAsync(Ct));

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(AuditChain.Genesis, all[0].PreviousHash);
        Assert.True(AuditChain.Verify(all).Intact);
    }

    [Fact]
    public async Task Read_AfterASequence_PagesInOrder()
    {
        await _store.AppendAsync(AuditSamples.Requests(10), Ct);

        var page = await _store.ReadAsync(4, 3, Ct);

        Assert.Equal([5L, 6, 7], page.Select(r => r.Sequence));
        Assert.Empty(await _store.ReadAsync(10, 3, Ct));
        Assert.Empty(await _store.TailAsync(0, Ct));
        Assert.Equal(10, (await _store.TailAsync(50, Ct)).Count);
    }

    [Fact]
    public async Task ReadAll_StreamsALogLargerThanOnePage()
    {
        for (var i = 0; i < 10; i++)
        {
            await _store.AppendAsync(AuditSamples.Requests(256, from: i * 256), Ct);
        }

        var verification = await AuditChain.VerifyAsync(_store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(2560, verification.RecordsChecked);
    }

    [Fact]
    public async Task Append_Empty_WritesNothing()
    {
        Assert.Empty(await _store.AppendAsync([], Ct));
        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM audit"));
    }

    [Fact]
    public async Task Append_AnEntryThatCanNeverBeRecorded_IsRefusedAndNothingIsWritten()
    {
        var entries = new[] { AuditSamples.Request(1), AuditSamples.Request(2) with { LatencyMs = double.NaN } };

        await Assert.ThrowsAsync<ArgumentException>(() => _store.AppendAsync(entries, Ct));

        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM audit"));
    }

    [Fact]
    public async Task ConcurrentAppenders_FromTwoStoresOnOneFile_ProduceOneIntactChainWithoutDuplicates()
    {
        // Two store instances stand in for two processes; each has two appending tasks.
        var other = await _database.OpenAsync();
        var stores = new IAuditStore[] { _store, _store, other, other };

        await Task.WhenAll(stores.Select((store, task) => Task.Run(
            async () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    await store.AppendAsync([AuditSamples.Request((task * 1000) + i)], Ct);
                }
            },
            Ct)));

        var all = await ToListAsync(_store.ReadAllAsync(Ct));
        Assert.Equal(800, all.Count);
        Assert.Equal(Enumerable.Range(1, 800).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(800, all.Select(r => r.Entry.TokenId).Distinct().Count());
        Assert.True(AuditChain.Verify(all).Intact);
    }

    [Fact]
    public async Task AuditRows_AreAppendOnly_UnlessSomeoneDropsTheTriggers()
    {
        await _store.AppendAsync(AuditSamples.Requests(3), Ct);

        var update = await Assert.ThrowsAsync<SqliteException>(() => _database.ScalarAsync("UPDATE audit SET path = '/x' WHERE sequence = 2"));
        var delete = await Assert.ThrowsAsync<SqliteException>(() => _database.ScalarAsync("DELETE FROM audit WHERE sequence = 2"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE audit SET path = '/lists/other' WHERE sequence = 5")]
    [InlineData("UPDATE audit SET decision = 'allow', rule = 'r' WHERE sequence = 5")]
    [InlineData("UPDATE audit SET time_ms = time_ms + 1 WHERE sequence = 5")]
    [InlineData("UPDATE audit SET token_id = NULL WHERE sequence = 5")]
    [InlineData("UPDATE audit SET latency_ms = 0.5 WHERE sequence = 5")]
    [InlineData("UPDATE audit SET hash = zeroblob(32) WHERE sequence = 5")]
    public async Task Verify_CatchesARowEditedWithRawSql(string edit)
    {
        await _store.AppendAsync(AuditSamples.Requests(9, from: 1), Ct);

        await _database.ScalarAsync("DROP TRIGGER audit_no_update; " + edit);
        var verification = await AuditChain.VerifyAsync(_store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.False(verification.Intact);
        Assert.Equal(5, verification.FirstBadSequence);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    public async Task Verify_CatchesARowDeletedWithRawSql(int sequence)
    {
        await _store.AppendAsync(AuditSamples.Requests(9), Ct);

        await _database.ScalarAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE sequence = $s", ("$s", sequence));
        var verification = await AuditChain.VerifyAsync(_store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.False(verification.Intact);
        Assert.Equal(sequence, verification.FirstBadSequence);
    }

    [Fact]
    public async Task Append_AfterADeletedHead_LinksToTheRowThatIsLast()
    {
        // Truncation is not detectable by the chain alone (see AuditChain): the next append links to what is there.
        await _store.AppendAsync(AuditSamples.Requests(3), Ct);
        var head = (await _store.TailAsync(1, Ct))[0];
        await _database.ScalarAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE sequence = 3");

        await _store.AppendAsync([AuditSamples.Admin(1)], Ct);
        var verification = await AuditChain.VerifyAsync(_store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.True(verification.Intact);
        Assert.NotEqual(head.Hash, (await _store.TailAsync(1, Ct))[0].Hash);
    }

    [Fact]
    public async Task Append_ReportsHowLongEachPhaseTook()
    {
        Assert.Null(_store.LastAppend);

        await _store.AppendAsync(AuditSamples.Requests(40), Ct);

        var timing = Assert.IsType<AuditAppendTiming>(_store.LastAppend);
        Assert.Equal(40, timing.Records);
        Assert.True(timing.Commit > TimeSpan.Zero && timing.Insert > TimeSpan.Zero && timing.WaitForWriteLock >= TimeSpan.Zero);
        Assert.Matches(@"^write lock \d+\.\d ms, inserts \d+\.\d ms, commit and fsync \d+\.\d ms$", timing.ToString());
        Assert.Null(_store.AppendInProgress);
    }

    [Fact]
    public async Task Append_WhileAnotherWriterHoldsTheLock_SaysItIsWaitingForTheWriteLock_AndThenWrites()
    {
        await _store.AppendAsync(AuditSamples.Requests(1), Ct);
        await using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _store.DatabasePath, Pooling = false }.ToString());
        await other.OpenAsync(Ct);
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(Ct);
        }

        var append = Task.Run(() => _store.AppendAsync(AuditSamples.Requests(2, from: 5), Ct), Ct);
        var deadline = Environment.TickCount64 + 10_000;
        while (_store.AppendInProgress is not { Phase: AuditAppendPhase.WaitingForWriteLock })
        {
            Assert.True(Environment.TickCount64 < deadline, "the append never waited for the lock");
            await Task.Delay(5, Ct);
        }

        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync(Ct);
        }

        await append;
        Assert.Equal(3, (await _store.TailAsync(10, Ct)).Count);
        Assert.True(_store.LastAppend!.WaitForWriteLock > TimeSpan.Zero);
    }

    [Fact]
    public async Task Append_AfterAFailedOne_StartsOverOnAFreshConnection()
    {
        await _store.AppendAsync(AuditSamples.Requests(1), Ct);
        await _database.ScalarAsync("CREATE TRIGGER fail BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;");

        var failure = await Assert.ThrowsAsync<StorageException>(() => _store.AppendAsync(AuditSamples.Requests(2, from: 5), Ct));
        await _database.ScalarAsync("DROP TRIGGER fail");
        await _store.AppendAsync(AuditSamples.Requests(2, from: 10), Ct);

        Assert.Contains("simulated disk full", failure.Message, StringComparison.Ordinal);
        var all = await ToListAsync(_store.ReadAllAsync(Ct));
        Assert.Equal([1L, 2, 3], all.Select(r => r.Sequence));
        Assert.True(AuditChain.Verify(all).Intact);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
