using Keywarden.Core.Audit;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Migrations;
using Keywarden.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Tests;

/// <summary>Schema 6 (<c>0006_audit_facts.sql</c>) on a vault whose log was written by a Keywarden that knew nothing of the facts.</summary>
public sealed class AuditFactsMigrationTests
{
    private const int FactsVersion = 6;

    // The columns of table audit up to schema 5, in the order that schema's Keywarden wrote them.
    private const string Version5Columns =
        "sequence, time_ms, kind, token_id, upstream_id, key_id, client, method, path, decision, rule, "
        + "upstream_status, latency_ms, bytes_in, bytes_out, actor, detail, prev_hash, hash";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Catalog_HasTheFactsMigrationAsVersion6()
    {
        Assert.Equal("audit_facts", MigrationCatalog.All[FactsVersion - 1].Name);
    }

    [Fact]
    public async Task Migrate_AVaultWrittenBeforeTheFacts_StillVerifies_AndRecordsWithFactsFollowInOneIntactChain()
    {
        await using var database = new TestDatabase();
        var older = await CreateAtVersion5Async(database.Path, AuditSamples.Requests(4).Select(WithoutFacts).Append(AuditSamples.Admin(5)).ToArray());

        var store = await database.OpenAsync();
        var migrated = await ToListAsync(store.ReadAllAsync(Ct));
        var appended = await store.AppendAsync([AuditSamples.Request(7), AuditSamples.Request(8), AuditSamples.Request(9)], Ct);
        var all = await ToListAsync(store.ReadAllAsync(Ct));
        var report = await AuditIntegrity.VerifyAsync(store, [], Ct);

        Assert.Equal(1L, await database.ScalarAsync($"SELECT count(*) FROM schema_migrations WHERE version = {FactsVersion}"));
        Assert.Equal(older.Select(r => (r.Sequence, r.Entry)), migrated.Select(r => (r.Sequence, r.Entry)));
        Assert.All(migrated, r => Assert.Null(r.Entry.UserAgent));
        Assert.Equal(older[^1].Hash, appended[0].PreviousHash);
        Assert.Equal(appended.Select(r => r.Entry), all.Skip(older.Count).Select(r => r.Entry));
        Assert.Equal("example.com", all[^1].Entry.FromDomain);
        Assert.Equal(1, all[^1].Entry.Recipients);
        Assert.True(report.Intact, string.Join("; ", report.Problems) + " " + report.Chain.Problem);
        Assert.Equal(8, report.Chain.RecordsChecked);
    }

    [Fact]
    public async Task Migrate_AVaultWrittenBeforeTheFacts_AnEditedOldRecordIsStillCaught()
    {
        await using var database = new TestDatabase();
        await CreateAtVersion5Async(database.Path, AuditSamples.Requests(4).Select(WithoutFacts).ToArray());
        var store = await database.OpenAsync();

        await database.ScalarAsync("DROP TRIGGER audit_no_update; UPDATE audit SET user_agent = '' WHERE sequence = 2");
        var verification = await AuditChain.VerifyAsync(store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBadSequence);
    }

    [Fact]
    public async Task FactColumns_AreStrictlyTyped_AndRecipientsCannotBeNegative()
    {
        await using var database = new TestDatabase();
        await database.OpenAsync();
        const string Insert = $"""
            INSERT INTO audit ({Version5Columns}, recipients, from_domain, user_agent)
            VALUES (1, 0, 'request', NULL, NULL, NULL, NULL, 'POST', '/messages/send', 'allow', 'allow', NULL, 0.0, 0, 0, NULL, NULL, zeroblob(32), zeroblob(32), $r, $d, 'ua')
            """;

        var negative = await Assert.ThrowsAsync<SqliteException>(() => database.ScalarAsync(Insert, ("$r", -1), ("$d", "example.com")));
        var text = await Assert.ThrowsAsync<SqliteException>(() => database.ScalarAsync(Insert, ("$r", "three"), ("$d", "example.com")));
        var blob = await Assert.ThrowsAsync<SqliteException>(() => database.ScalarAsync(Insert, ("$r", 3), ("$d", new byte[] { 1 })));

        Assert.Contains("CHECK", negative.Message, StringComparison.Ordinal);
        Assert.Contains("cannot store TEXT value in INTEGER column audit.recipients", text.Message, StringComparison.Ordinal);
        Assert.Contains("cannot store BLOB value in TEXT column audit.from_domain", blob.Message, StringComparison.Ordinal);
    }

    private static AuditEntry WithoutFacts(AuditEntry entry) => entry with { Recipients = null, FromDomain = null, UserAgent = null };

    /// <summary>A database as a Keywarden at schema 5 left it: migrations 1 to 5 applied, and <paramref name="entries"/> in its log.</summary>
    private static async Task<IReadOnlyList<AuditRecord>> CreateAtVersion5Async(string path, IReadOnlyList<AuditEntry> entries)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");
        foreach (var migration in MigrationCatalog.All.Where(m => m.Version < FactsVersion))
        {
            await ExecuteAsync(connection, migration.Sql);
            await ExecuteAsync(
                connection, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)",
                ("$v", migration.Version), ("$n", migration.Name), ("$t", Samples.T0.ToUnixTimeMilliseconds() - 1));
        }

        var records = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        foreach (var entry in entries)
        {
            var record = AuditChain.Link(records.Count + 1, previous, entry);
            var e = record.Entry;
            await ExecuteAsync(
                connection,
                $"INSERT INTO audit ({Version5Columns}) VALUES ($s, $t, $k, $tok, $up, $key, $c, $m, $p, $d, $r, $st, $l, $bi, $bo, $a, $de, $ph, $h)",
                ("$s", record.Sequence), ("$t", e.Time.ToUnixTimeMilliseconds()), ("$k", e.Kind == AuditKind.Admin ? "admin" : "request"),
                ("$tok", e.TokenId), ("$up", e.UpstreamId), ("$key", e.KeyId), ("$c", e.ClientAddress), ("$m", e.Method), ("$p", e.Path),
                ("$d", e.Decision.ToString().ToLowerInvariant()), ("$r", e.Rule), ("$st", e.UpstreamStatus), ("$l", e.LatencyMs),
                ("$bi", e.BytesIn), ("$bo", e.BytesOut), ("$a", e.Actor), ("$de", e.Detail), ("$ph", record.PreviousHash), ("$h", record.Hash));
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(Ct);
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
