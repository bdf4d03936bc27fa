using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// The gateway's snapshot on SQLite: four reads (revision, upstreams, current keys, tokens) in one read transaction,
/// so in WAL mode they all see the database as of one commit, and the snapshot's revision is the one its rows belong to.
/// </summary>
internal sealed class SqliteSnapshotReader : ISnapshotStore
{
    private readonly SqliteDatabase _database;

    public SqliteSnapshotReader(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default) =>
        _database.UseConnectionAsync(
            "read the gateway's snapshot",
            async (connection, ct) =>
            {
                // A deferred transaction takes no lock; its first read fixes the snapshot every later read sees.
                await using var transaction = connection.BeginTransaction(deferred: true);
                var revision = await SqliteDatabase.ReadRevisionAsync(connection, transaction, ct);
                var upstreams = await ListAsync(
                    transaction, $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE removed_at IS NULL ORDER BY name", Rows.ReadUpstream, ct);
                var keys = (await ListAsync(transaction, $"SELECT {Rows.KeyColumns} FROM upstream_keys WHERE slot = 'current'", Rows.ReadKey, ct))
                    .ToDictionary(key => key.UpstreamId, StringComparer.Ordinal);
                var tokens = await ListAsync(
                    transaction, $"SELECT {Rows.TokenColumns} FROM tokens ORDER BY created_at DESC, id DESC", Rows.ReadToken, ct);
                await transaction.CommitAsync(ct);
                return new StoreSnapshot(
                    revision,
                    [.. upstreams.Select(upstream => new SnapshotUpstream(upstream, keys.GetValueOrDefault(upstream.Id)))],
                    tokens);
            },
            cancellationToken);

    private static async Task<List<T>> ListAsync<T>(SqliteTransaction transaction, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = transaction.Sql(sql);
        return await command.ListAsync(read, cancellationToken);
    }
}
