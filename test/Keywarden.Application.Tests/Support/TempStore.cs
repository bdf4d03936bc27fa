using Keywarden.Storage.Sqlite;

namespace Keywarden.Application.Tests.Support;

/// <summary>A real SQLite store in a temporary directory, deleted on dispose.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _directory;

    private TempStore(string directory, SqliteKeywardenStore store)
    {
        _directory = directory;
        Store = store;
    }

    public SqliteKeywardenStore Store { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("keywarden-application-tests-").FullName;
        var store = await SqliteKeywardenStore.OpenAsync(Path.Combine(directory, "keywarden.db"), cancellationToken: TestContext.Current.CancellationToken);
        return new TempStore(directory, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
