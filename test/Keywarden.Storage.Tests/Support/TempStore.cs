using Keywarden.Storage.Sqlite;
using Keywarden.Testing;

namespace Keywarden.Storage.Tests.Support;

/// <summary>A real SQLite store in a temporary directory, deleted on dispose.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private TempStore(TempDirectory directory, SqliteKeywardenStore store)
    {
        _directory = directory;
        Store = store;
    }

    public SqliteKeywardenStore Store { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var directory = new TempDirectory("keywarden-storage-tests-");
        var store = await SqliteKeywardenStore.OpenAsync(directory.Combine("keywarden.db"), cancellationToken: TestContext.Current.CancellationToken);
        return new TempStore(directory, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
