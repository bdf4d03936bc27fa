using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Migrations;

/// <summary>
/// Brings a database to <see cref="MigrationCatalog.LatestVersion"/>. Each migration runs in its own
/// write transaction together with its row in <c>schema_migrations</c>, so a crash leaves the
/// schema at a version that exists, and two processes opening the same file apply each step once.
/// </summary>
internal static class SchemaMigrator
{
    private const int SqlError = 1;

    private const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY NOT NULL,
            name       TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT
        """;

    private const string CurrentVersion = "SELECT coalesce(max(version), 0) FROM schema_migrations";

    public static async Task MigrateAsync(SqliteConnection connection, TimeProvider timeProvider, string databasePath, CancellationToken cancellationToken)
    {
        await using (var create = connection.Sql(CreateHistory))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var read = connection.Sql(CurrentVersion))
        {
            EnsureNotNewer(await read.ScalarAsync<long>(cancellationToken), databasePath);
        }

        foreach (var migration in MigrationCatalog.All)
        {
            await ApplyAsync(connection, migration, timeProvider, databasePath, cancellationToken);
        }
    }

    private static async Task ApplyAsync(SqliteConnection connection, Migration migration, TimeProvider timeProvider, string databasePath, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: the version is read under the write lock, so a concurrent opener waits, then skips.
        await using var transaction = connection.BeginTransaction(deferred: false);
        long current;
        await using (var read = transaction.Sql(CurrentVersion))
        {
            current = await read.ScalarAsync<long>(cancellationToken);
        }

        EnsureNotNewer(current, databasePath);
        if (current >= migration.Version)
        {
            return;
        }

        try
        {
            await using var apply = transaction.Sql(migration.Sql);
            await apply.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqlError)
        {
            throw new StorageException(
                StorageError.Incompatible,
                $"schema migration {migration.Version} ({migration.Name}) failed on '{databasePath}': {exception.Message} — is this a Keywarden database?",
                exception);
        }

        await using (var record = transaction.Sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)"))
        {
            await record
                .With("$version", migration.Version)
                .With("$name", migration.Name)
                .With("$at", StoredTime.ToUnixMilliseconds(timeProvider.GetUtcNow()))
                .ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void EnsureNotNewer(long version, string databasePath)
    {
        if (version > MigrationCatalog.LatestVersion)
        {
            throw new StorageException(
                StorageError.Incompatible,
                $"the database '{databasePath}' has schema version {version}, but this Keywarden understands versions up to {MigrationCatalog.LatestVersion}: "
                + "upgrade Keywarden, or restore a backup taken before the upgrade that wrote it");
        }
    }
}
