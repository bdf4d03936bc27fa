namespace Keywarden.Storage.Sqlite;

/// <summary>The SQLite engine for <see cref="StoreFactory"/>: <c>sqlite:PATH</c>, and plain paths when it is the first engine.</summary>
public sealed class SqliteStoreProvider : IStoreProvider
{
    /// <inheritdoc />
    public string Scheme => "sqlite";

    /// <inheritdoc />
    public string Syntax => "sqlite:PATH";

    /// <inheritdoc />
    /// <remarks>See <see cref="SqliteKeywardenStore.OpenAsync"/>: the file is created (mode 0600) when missing; its directory must exist.</remarks>
    public async Task<IKeywardenStore> OpenAsync(string location, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        await SqliteKeywardenStore.OpenAsync(location, timeProvider, cancellationToken);
}
