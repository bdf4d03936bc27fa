using Keywarden.Storage.Contract;
using Keywarden.Testing;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Tests.Support;

/// <summary>A real SQLite file in its own temporary directory, deleted with everything in it on dispose.</summary>
internal sealed class TestDatabase : IContractDatabase
{
    private readonly List<SqliteKeywardenStore> _stores = [];
    private readonly TempDirectory _directory = new("keywarden-sqlite-tests-");

    public string DirectoryPath => _directory.Path;

    public string Path => _directory.Combine("keywarden.db");

    public Task<SqliteKeywardenStore> OpenAsync(TimeProvider? timeProvider = null) => OpenAsync(new SqliteStoreOptions(), timeProvider);

    public async Task<SqliteKeywardenStore> OpenAsync(SqliteStoreOptions options, TimeProvider? timeProvider = null)
    {
        var store = await SqliteKeywardenStore.OpenAsync(Path, options, timeProvider, TestContext.Current.CancellationToken);
        _stores.Add(store);
        return store;
    }

    async Task<IKeywardenStore> IContractDatabase.OpenAsync() => await OpenAsync();

    /// <inheritdoc />
    public async Task<bool> HoldsKeyAsync(string keyId) =>
        (long)(await ScalarAsync("SELECT count(*) FROM upstream_keys WHERE id = $id", ("$id", keyId)))! > 0;

    /// <inheritdoc />
    /// <remarks>A trigger: SQLite fails the insert, and with it the transaction it is in, as it fails a write to a full disk.</remarks>
    public Task RefuseAuditAppendsAsync() =>
        ScalarAsync("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'the audit log refuses (test)'); END");

    /// <summary>Runs SQL on a connection of its own, outside the store's pool.</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return result is DBNull ? null : result;
    }

    /// <summary>Every byte on disk that belongs to the database: the file, its log and its shared memory.</summary>
    public byte[] ReadAllBytesOnDisk() =>
        new[] { Path, Path + "-wal", Path + "-shm" }
            .Where(File.Exists)
            .SelectMany(ReadShared)
            .ToArray();

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _directory.Dispose();
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
