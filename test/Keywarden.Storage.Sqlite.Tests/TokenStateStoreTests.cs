using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Migrations;
using Keywarden.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class TokenStateStoreTests : TokenStateStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    [Fact]
    public async Task TokensOfADatabaseBeforeVersion8_AreNoDecoys_NotSuspended_AndFollowTheServerDefault_AfterTheUpgrade()
    {
        await using var old = new TestDatabase();
        await using (var connection = new SqliteConnection($"Data Source={old.Path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;\n"
                + string.Concat(MigrationCatalog.All.Where(m => m.Version < 8).Select(m => m.Sql + $";\nINSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', 0);\n"))
                + "INSERT INTO upstreams (id, name, kind, max_key_age_ms, created_at) VALUES ('up_1', 'news', 'marketing', 1, 0);\n"
                + "INSERT INTO tokens (id, name, upstream_id, hash, policy, created_at) VALUES ('tok_old', 'app', 'up_1', zeroblob(32), '{}', 0);";
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var store = await old.OpenAsync();
        var token = await store.FindTokenAsync("tok_old", Ct);

        Assert.Equal((false, null, null), (token!.Decoy, token.Suspension, token.OnAnomaly));
        Assert.True(await store.SuspendTokenAsync("tok_old", Samples.T0, "alert", AuditSamples.Change, Ct));
    }

    [Fact]
    public async Task TheSchema_RefusesASuspensionWithoutItsReason()
    {
        await _database.ScalarAsync("SELECT 1"); // opened and migrated by the contract's set-up

        var error = await Assert.ThrowsAsync<SqliteException>(() => _database.ScalarAsync("UPDATE tokens SET suspended_at = 1 WHERE id = 'tok_1'"));

        Assert.Contains("CHECK constraint failed", error.Message, StringComparison.Ordinal);
    }
}
