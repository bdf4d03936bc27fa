namespace Keywarden.Storage.Sqlite;

/// <summary>The SQLite engine for <see cref="StoreFactory"/>: <c>sqlite:PATH</c>, and plain paths when it is the first engine.</summary>
public sealed class SqliteStoreProvider : IStoreProvider
{
    private readonly SqliteStoreOptions _options;

    /// <param name="options">How the stores it opens behave; the defaults when null.</param>
    public SqliteStoreProvider(SqliteStoreOptions? options = null)
    {
        _options = options ?? new SqliteStoreOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Scheme => "sqlite";

    /// <inheritdoc />
    public string Syntax => "sqlite:PATH";

    /// <inheritdoc />
    /// <remarks>See <see cref="SqliteKeywardenStore.OpenAsync(string, SqliteStoreOptions, TimeProvider?, CancellationToken)"/>: the file is created (mode 0600) when missing; its directory must exist.</remarks>
    public async Task<IKeywardenStore> OpenAsync(string location, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        await SqliteKeywardenStore.OpenAsync(location, _options, timeProvider, cancellationToken);
}
