using Keywarden.Core.Audit;
using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;
using Keywarden.Testing;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class AuditStoreTests : AuditStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    private SqliteKeywardenStore SqliteStore => (SqliteKeywardenStore)Store;

    [Fact]
    public async Task AuditRows_AreAppendOnly_UnlessSomeoneDropsTheTriggers()
    {
        await Store.AppendAsync(AuditSamples.Requests(3), Ct);

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
    [InlineData("UPDATE audit SET recipients = recipients + 1 WHERE sequence = 5")]
    [InlineData("UPDATE audit SET from_domain = 'example.org' WHERE sequence = 5")]
    [InlineData("UPDATE audit SET user_agent = NULL WHERE sequence = 5")]
    [InlineData("UPDATE audit SET user_agent = 'curl/8.5.0' WHERE sequence = 4")]
    public async Task Verify_CatchesARowEditedWithRawSql(string edit)
    {
        await Store.AppendAsync(AuditSamples.Requests(9, from: 1), Ct);

        await _database.ScalarAsync("DROP TRIGGER audit_no_update; " + edit);
        var verification = await AuditChain.VerifyAsync(Store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.False(verification.Intact);
        Assert.Equal(edit.EndsWith("sequence = 4", StringComparison.Ordinal) ? 4 : 5, verification.FirstBadSequence);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    public async Task Verify_CatchesARowDeletedWithRawSql(int sequence)
    {
        await Store.AppendAsync(AuditSamples.Requests(9), Ct);

        await _database.ScalarAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE sequence = $s", ("$s", sequence));
        var verification = await AuditChain.VerifyAsync(Store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.False(verification.Intact);
        Assert.Equal(sequence, verification.FirstBadSequence);
    }

    [Fact]
    public async Task Append_AfterADeletedHead_LinksToTheRowThatIsLast()
    {
        // Truncation is not detectable by the chain alone (see AuditChain): the next append links to what is there.
        await Store.AppendAsync(AuditSamples.Requests(3), Ct);
        var head = (await Store.TailAsync(1, Ct))[0];
        await _database.ScalarAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE sequence = 3");

        await Store.AppendAsync([AuditSamples.Admin(1)], Ct);
        var verification = await AuditChain.VerifyAsync(Store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.True(verification.Intact);
        Assert.NotEqual(head.Hash, (await Store.TailAsync(1, Ct))[0].Hash);
    }

    [Fact]
    public async Task Append_ReportsHowLongEachPhaseTook()
    {
        Assert.Null(SqliteStore.LastAppend);

        await Store.AppendAsync(AuditSamples.Requests(40), Ct);

        var timing = Assert.IsType<AuditAppendTiming>(SqliteStore.LastAppend);
        Assert.Equal(40, timing.Records);
        Assert.True(timing.Commit > TimeSpan.Zero && timing.Insert > TimeSpan.Zero && timing.WaitForWriteLock >= TimeSpan.Zero);
        Assert.Matches(@"^write lock \d+\.\d ms, inserts \d+\.\d ms, commit and fsync \d+\.\d ms$", timing.ToString());
        Assert.Null(SqliteStore.AppendInProgress);
    }

    [Fact]
    public async Task Append_WhileAnotherWriterHoldsTheLock_SaysItIsWaitingForTheWriteLock_AndThenWrites()
    {
        await Store.AppendAsync(AuditSamples.Requests(1), Ct);
        await using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SqliteStore.DatabasePath, Pooling = false }.ToString());
        await other.OpenAsync(Ct);
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(Ct);
        }

        var append = Task.Run(() => Store.AppendAsync(AuditSamples.Requests(2, from: 5), Ct), Ct);
        await Wait.UntilAsync(() => SqliteStore.AppendInProgress is { Phase: AuditAppendPhase.WaitingForWriteLock }, "the append waits for the lock");

        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync(Ct);
        }

        await append;
        Assert.Equal(3, (await Store.TailAsync(10, Ct)).Count);
        Assert.True(SqliteStore.LastAppend!.WaitForWriteLock > TimeSpan.Zero);
    }

    [Fact]
    public async Task Append_AfterAFailedOne_StartsOverOnAFreshConnection()
    {
        await Store.AppendAsync(AuditSamples.Requests(1), Ct);
        await _database.ScalarAsync("CREATE TRIGGER fail BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;");

        var failure = await Assert.ThrowsAsync<StorageException>(() => Store.AppendAsync(AuditSamples.Requests(2, from: 5), Ct));
        await _database.ScalarAsync("DROP TRIGGER fail");
        await Store.AppendAsync(AuditSamples.Requests(2, from: 10), Ct);

        Assert.Contains("simulated disk full", failure.Message, StringComparison.Ordinal);
        var all = await ToListAsync(Store.ReadAllAsync(Ct));
        Assert.Equal([1L, 2, 3], all.Select(r => r.Sequence));
        Assert.True(AuditChain.Verify(all).Intact);
    }
}
