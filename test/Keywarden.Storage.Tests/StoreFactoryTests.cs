using Keywarden.Storage.Sqlite;
using Keywarden.Testing;

namespace Keywarden.Storage.Tests;

public sealed class StoreFactoryTests : IDisposable
{
    private readonly TempDirectory _temp = new("keywarden-factory-tests-");
    private readonly Recorder _first = new("first", "first:PATH");
    private readonly Recorder _second = new("second", "second:NAME");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("/var/lib/keywarden/keywarden.db")]
    [InlineData("keywarden.db")]
    [InlineData("./data:2025/keywarden.db")]
    [InlineData(@"C:\keywarden\keywarden.db")]
    [InlineData(@"\\server\share\keywarden.db")]
    public async Task Open_PlainPath_GoesToTheFirstEngineUnchanged(string path)
    {
        await Factory().OpenAsync(path, cancellationToken: Ct);

        Assert.Equal([path], _first.Opened);
        Assert.Empty(_second.Opened);
    }

    [Theory]
    [InlineData("second:orders", "orders")]
    [InlineData("SECOND:orders", "orders")]
    [InlineData("first:/srv/a:b.db", "/srv/a:b.db")]
    public async Task Open_WithAScheme_GoesToThatEngineWithoutTheScheme(string location, string expected)
    {
        await Factory().OpenAsync(location, cancellationToken: Ct);

        Assert.Equal([expected], _first.Opened.Concat(_second.Opened));
    }

    [Fact]
    public async Task Open_UnknownScheme_IsRefusedNamingTheSupportedOnes_AndNotTheRestOfTheLocation()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Factory().OpenAsync("mysql://admin:hunter2@db/keywarden", cancellationToken: Ct));

        Assert.Equal(StorageError.Unsupported, error.Error);
        Assert.Equal("unknown store scheme 'mysql:': use first:PATH, second:NAME or a plain path", error.Message);
        Assert.Empty(_first.Opened);
    }

    [Theory]
    [InlineData("postgres://keywarden:hunter2@db/keywarden", "postgres")]
    [InlineData("postgresql://db/keywarden", "postgresql")]
    public async Task Open_PostgreSql_IsReservedAndSaysItIsNotBuiltYet(string location, string scheme)
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Factory().OpenAsync(location, cancellationToken: Ct));

        Assert.Equal(StorageError.Unsupported, error.Error);
        Assert.Equal($"PostgreSQL storage ({scheme}://…) is not built yet: use first:PATH, second:NAME or a plain path", error.Message);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_SchemeWithNothingAfterIt_IsRefused()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Factory().OpenAsync("second:", cancellationToken: Ct));

        Assert.Equal(StorageError.Unsupported, error.Error);
        Assert.Equal("the store location 'second:' names no database: write second:NAME", error.Message);
    }

    [Fact]
    public void Factory_WithoutEnginesOrWithTwoForOneScheme_IsMisuse()
    {
        Assert.Throws<ArgumentException>(() => new StoreFactory([]));
        Assert.Throws<ArgumentException>(() => new StoreFactory([_first, new Recorder("FIRST", "FIRST:X")]));
    }

    [Theory]
    [InlineData("sqlite:")]
    [InlineData("")]
    public async Task Sqlite_OpensTheSameFileBySchemeOrPlainPath(string prefix)
    {
        var path = Path.Combine(_temp.Path, "keywarden.db");
        var factory = new StoreFactory([new SqliteStoreProvider()]);

        await using (var first = await factory.OpenAsync(prefix + path, cancellationToken: Ct))
        {
            await first.SetMasterKeyIdAsync("0123456789abcdef", Ct);
        }

        await using var again = await factory.OpenAsync("sqlite:" + path, cancellationToken: Ct);
        Assert.IsType<SqliteKeywardenStore>(again);
        Assert.Equal("0123456789abcdef", await again.GetMasterKeyIdAsync(Ct));
        Assert.Equal("sqlite:PATH or a plain path", factory.SupportedLocations);
    }

    private StoreFactory Factory() => new([_first, _second]);

    /// <summary>An engine that records what it was asked to open and opens nothing.</summary>
    private sealed class Recorder(string scheme, string syntax) : IStoreProvider
    {
        public List<string> Opened { get; } = [];

        public string Scheme => scheme;

        public string Syntax => syntax;

        public Task<IKeywardenStore> OpenAsync(string location, TimeProvider timeProvider, CancellationToken cancellationToken = default)
        {
            Opened.Add(location);
            return Task.FromResult<IKeywardenStore>(null!);
        }
    }
}
