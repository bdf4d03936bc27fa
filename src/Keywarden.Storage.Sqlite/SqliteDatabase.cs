using Keywarden.Storage.Sqlite.Migrations;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// The connection code every part of the store shares: opening a pooled connection with the per-connection pragmas,
/// running one operation on it, running a change in one <c>BEGIN IMMEDIATE</c> transaction, the store-wide facts in
/// <c>meta</c>, and the write-ahead log's upkeep. The aggregates (<see cref="SqliteTokenStore"/>,
/// <see cref="SqliteUpstreamStore"/>, <see cref="SqliteRotationStore"/>, <see cref="SqliteAuditStore"/>) hold SQL only.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    public const int BusyTimeoutMilliseconds = 10_000;

    private const string RevisionName = "revision";

    // Per connection: foreign_keys comes from the connection string. secure_delete overwrites
    // deleted rows, so removed ciphertexts and superseded wrapped data keys do not linger in free pages.
    private static readonly string ConnectionSetup =
        $"PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";

    private readonly string _connectionString;
    private int _disposed;

    public SqliteDatabase(string databasePath, TimeProvider timeProvider)
    {
        Path = databasePath;
        Time = timeProvider;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            // Never let SQLite create the file: it would use the default permissions, not 0600.
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // SQLite's busy handler (busy_timeout below) does the waiting; Microsoft.Data.Sqlite retries
            // busy statements until this many seconds have passed, so 1 keeps the total near BusyTimeout.
            DefaultTimeout = 1,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The clock for the store's own bookkeeping (migrations applied, checkpoints taken).</summary>
    public TimeProvider Time { get; }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        UseConnectionAsync(
            "migrate the schema",
            async (connection, ct) =>
            {
                await SchemaMigrator.MigrateAsync(connection, Time, Path, ct);
                return true;
            },
            cancellationToken);

    public async Task EnableWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        var mode = await UseConnectionAsync(
            "enable write-ahead logging",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("PRAGMA journal_mode = WAL");
                return await command.ScalarAsync<string>(ct);
            },
            cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException(
                StorageError.Unavailable,
                $"the SQLite database '{Path}' cannot use write-ahead logging (journal mode stayed '{mode}'): keep it on a local file system");
        }
    }

    /// <summary>
    /// The counter in <c>meta</c> that triggers on <c>upstreams</c>, <c>upstream_keys</c>, <c>tokens</c>, <c>rotations</c>
    /// and <c>upstream_sinks</c> move, so no write can forget it.
    /// </summary>
    public Task<long> GetRevisionAsync(CancellationToken cancellationToken) =>
        UseConnectionAsync(
            "read the revision",
            (connection, ct) => ReadRevisionAsync(connection, transaction: null, ct),
            cancellationToken);

    /// <summary>The revision as <paramref name="connection"/> (in <paramref name="transaction"/> when given) sees it.</summary>
    public static async Task<long> ReadRevisionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql("SELECT CAST(value AS INTEGER) FROM meta WHERE key = $key");
        command.Transaction = transaction;
        return await command.With("$key", RevisionName).ScalarAsync<long>(cancellationToken);
    }

    /// <summary>
    /// Copies the log into the database and empties it, so that overwritten secrets do not survive
    /// in old log frames. Best effort: the change is already committed, and a busy checkpoint is
    /// repeated by SQLite later.
    /// </summary>
    public async Task TruncateWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.Sql("PRAGMA wal_checkpoint(TRUNCATE)");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException)
        {
            // The removal or re-wrap committed; failing the call now would tell the caller it did not.
        }
    }

    /// <summary>A connection set up as every other (for the audit appender, which works synchronously).</summary>
    public SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(SqliteKeywardenStore));
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var setup = connection.Sql(ConnectionSetup);
            setup.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(SqliteKeywardenStore));
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var setup = connection.Sql(ConnectionSetup);
            await setup.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="use"/> on a connection of its own; a SQLite failure becomes a <see cref="StorageException"/> naming <paramref name="action"/>.</summary>
    public async Task<T> UseConnectionAsync<T>(string action, Func<SqliteConnection, CancellationToken, Task<T>> use, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            return await use(connection, cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.ToStorageException(exception, action, Path);
        }
    }

    /// <summary>The row <paramref name="sql"/> selects with <c>$value</c> bound to <paramref name="value"/>, or null.</summary>
    public Task<T?> QuerySingleAsync<T>(string action, string sql, object value, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class =>
        UseConnectionAsync(
            action,
            async (connection, ct) =>
            {
                await using var command = connection.Sql(sql);
                return await command.With("$value", value).SingleOrDefaultAsync(read, ct);
            },
            cancellationToken);

    /// <summary>The rows <paramref name="sql"/> selects, with <c>$value</c> bound to <paramref name="value"/> when given.</summary>
    public Task<IReadOnlyList<T>> QueryListAsync<T>(string action, string sql, object? value, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        UseConnectionAsync<IReadOnlyList<T>>(
            action,
            async (connection, ct) =>
            {
                await using var command = connection.Sql(sql);
                if (value is not null)
                {
                    command.With("$value", value);
                }

                return await command.ListAsync(read, ct);
            },
            cancellationToken);

    /// <summary>Runs <paramref name="write"/> in one write transaction and commits it; nothing is written when it throws.</summary>
    public Task<T> WriteAsync<T>(string action, Func<SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        UseConnectionAsync(
            action,
            async (connection, ct) =>
            {
                // BEGIN IMMEDIATE takes the write lock first, so concurrent writers queue on the busy
                // timeout instead of failing when a read lock cannot be upgraded.
                await using var transaction = connection.BeginTransaction(deferred: false);
                var result = await write(transaction, ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            cancellationToken);

    /// <summary>Refuses new operations and closes the pooled connections of this database.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
    }
}
