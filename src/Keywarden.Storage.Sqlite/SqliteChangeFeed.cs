namespace Keywarden.Storage.Sqlite;

/// <summary>
/// The change feed on SQLite: the revision in <c>meta</c> (moved by triggers, see <see cref="SqliteDatabase.GetRevisionAsync"/>),
/// and waiting for it by polling, since SQLite cannot tell one process of another's commit. Between two polls a waiter
/// is a timer of the store's <see cref="TimeProvider"/>, not a thread.
/// </summary>
internal sealed class SqliteChangeFeed : IStoreChanges
{
    private readonly SqliteDatabase _database;
    private readonly TimeSpan _pollInterval;

    public SqliteChangeFeed(SqliteDatabase database, TimeSpan pollInterval)
    {
        _database = database;
        _pollInterval = pollInterval;
    }

    /// <inheritdoc />
    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => _database.GetRevisionAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>One read of the revision at once, then one per <see cref="SqliteStoreOptions.ChangePollInterval"/>.</remarks>
    public async Task<long> WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var revision = await _database.GetRevisionAsync(cancellationToken);
            if (revision != afterRevision)
            {
                return revision;
            }

            await Task.Delay(_pollInterval, _database.Time, cancellationToken);
        }
    }
}
