using Keywarden.Storage.Sqlite.Migrations;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class MigrationCatalogTests
{
    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, MigrationCatalog.All.Count), MigrationCatalog.All.Select(migration => migration.Version));
    }

    [Fact]
    public void FirstMigration_CreatesEveryTable()
    {
        var sql = MigrationCatalog.All[0].Sql;

        foreach (var table in new[] { "meta", "upstreams", "upstream_keys", "tokens" })
        {
            Assert.Contains($"CREATE TABLE {table} (", sql, StringComparison.Ordinal);
        }
    }
}
