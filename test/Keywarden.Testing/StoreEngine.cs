using Keywarden.Storage;
using Keywarden.Storage.Sqlite;

namespace Keywarden.Testing;

/// <summary>
/// The database engine a <see cref="KeywardenHost"/> keeps its vault in: an <see cref="IStoreProvider"/> for the
/// product's <see cref="StoreFactory"/>, and the location (connection string) of a fresh database for one host. Another
/// engine (PostgreSQL, a database per host) is one more instance of this class; nothing else in the tests changes.
/// </summary>
public sealed class StoreEngine
{
    private readonly Func<string, string> _location;

    /// <param name="name">For messages: <c>sqlite</c>.</param>
    /// <param name="provider">Opens the engine's stores.</param>
    /// <param name="location">The location of a fresh database, given the host's data directory: <c>sqlite:DIR/keywarden.db</c>.</param>
    public StoreEngine(string name, IStoreProvider provider, Func<string, string> location)
    {
        Name = name;
        Provider = provider;
        _location = location;
    }

    /// <summary>A SQLite file in the host's data directory, as <c>keywarden init</c> makes it.</summary>
    public static StoreEngine Sqlite { get; } =
        new("sqlite", new SqliteStoreProvider(), directory => "sqlite:" + Path.Combine(directory, "keywarden.db"));

    public string Name { get; }

    public IStoreProvider Provider { get; }

    /// <summary>The location of a fresh database for a host whose data directory is <paramref name="dataDirectory"/>.</summary>
    public string LocationFor(string dataDirectory) => _location(dataDirectory);

    /// <summary>Opens the database at <paramref name="location"/> through the product's factory, as the CLI and serve do.</summary>
    public Task<IKeywardenStore> OpenAsync(string location, CancellationToken cancellationToken = default) =>
        new StoreFactory([Provider]).OpenAsync(location, TimeProvider.System, cancellationToken);

    public override string ToString() => Name;
}
