using Keywarden.Core.Crypto;
using Keywarden.Core.Policy;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class TokenStoreTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly UpstreamRecord _upstream = Samples.Upstream();
    private SqliteKeywardenStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await _database.OpenAsync();
        using var master = MasterKey.Generate();
        await _store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, master), Ct);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task AddToken_ThenFindById_ReturnsEveryFieldIncludingTheWholePolicy()
    {
        var token = Samples.Token(_upstream.Id, "tok_1") with { RevokedAt = Samples.T0.AddDays(3) };

        await _store.AddTokenAsync(token, Ct);

        RecordAssert.Equal(token, await _store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task AddToken_WithAnEmptyPolicy_ReadsBackEmptyListsAndNulls()
    {
        var token = Samples.Token(_upstream.Id, "tok_1", policy: new TokenPolicy());

        await _store.AddTokenAsync(token, Ct);

        RecordAssert.Equal(token, await _store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task FindTokenByHash_FindsTheTokenWithThatHashOnly()
    {
        var token = Samples.Token(_upstream.Id, "tok_1");
        await _store.AddTokenAsync(token, Ct);
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_2"), Ct);

        RecordAssert.Equal(token, await _store.FindTokenByHashAsync((byte[])token.Hash.Clone(), Ct));
        Assert.Null(await _store.FindTokenByHashAsync(new byte[32], Ct));
    }

    [Fact]
    public async Task FindToken_ThatDoesNotExist_ReturnsNull()
    {
        Assert.Null(await _store.FindTokenAsync("tok_nothing", Ct));
    }

    [Fact]
    public async Task ListTokens_IsNewestFirstAndIncludesRevokedTokens()
    {
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_middle", Samples.T0.AddDays(1)), Ct);
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_newest", Samples.T0.AddDays(2)), Ct);
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_oldest", Samples.T0), Ct);
        await _store.RevokeTokenAsync("tok_middle", Samples.T0.AddDays(3), Ct);

        var tokens = await _store.ListTokensAsync(Ct);

        Assert.Equal(["tok_newest", "tok_middle", "tok_oldest"], tokens.Select(token => token.Id));
    }

    [Fact]
    public async Task RevokeToken_RecordsTheTimeAndKeepsTheFirstOne()
    {
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Ct);

        Assert.True(await _store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(1), Ct));
        Assert.True(await _store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(2), Ct));

        Assert.Equal(Samples.T0.AddHours(1), (await _store.FindTokenAsync("tok_1", Ct))?.RevokedAt);
    }

    [Fact]
    public async Task RevokeToken_ThatDoesNotExist_ReturnsFalse()
    {
        Assert.False(await _store.RevokeTokenAsync("tok_nothing", Samples.T0, Ct));
    }

    [Fact]
    public async Task AddToken_WithATakenId_IsAConflict()
    {
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Ct);
        var duplicate = Samples.Token(_upstream.Id, "tok_2") with { Id = "tok_1" };

        var error = await Assert.ThrowsAsync<StorageException>(() => _store.AddTokenAsync(duplicate, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Equal("a token with id 'tok_1' already exists", error.Message);
    }

    [Fact]
    public async Task AddToken_WithATakenHash_IsAConflictWhoseMessageDoesNotShowTheHash()
    {
        var first = Samples.Token(_upstream.Id, "tok_1");
        await _store.AddTokenAsync(first, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(
            () => _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_2") with { Hash = first.Hash }, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.DoesNotContain(Convert.ToHexString(first.Hash), error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(first.Hash), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddToken_ForAnUnknownUpstream_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => _store.AddTokenAsync(Samples.Token("up_nothing", "tok_1"), Ct));

        Assert.Equal(StorageError.NotFound, error.Error);
        Assert.Null(await _store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task AddToken_ForARemovedUpstream_IsNotFound()
    {
        await _store.RemoveUpstreamAsync(_upstream.Name, Samples.T0, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Ct));

        Assert.Equal(StorageError.NotFound, error.Error);
    }

    [Fact]
    public async Task AddToken_FromEightWritersAtOnce_StoresEveryToken()
    {
        const int Writers = 8;
        const int TokensPerWriter = 10;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(
            async () =>
            {
                for (var i = 0; i < TokensPerWriter; i++)
                {
                    await _store.AddTokenAsync(Samples.Token(_upstream.Id, $"tok_{writer}_{i}"), Ct);
                }
            },
            Ct)));

        Assert.Equal(Writers * TokensPerWriter, (await _store.ListTokensAsync(Ct)).Count);
    }

    [Fact]
    public async Task AddToken_WithANameThatIsNotValidUnicode_IsRefusedRatherThanAltered()
    {
        var token = Samples.Token(_upstream.Id, "tok_1") with { Name = "app \uDC00" };

        await Assert.ThrowsAsync<ArgumentException>(() => _store.AddTokenAsync(token, Ct));

        Assert.Null(await _store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task AddToken_WhileAnotherConnectionHoldsTheWriteLock_WaitsForItInsteadOfFailing()
    {
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await other.OpenAsync(Ct);
        var lockHeld = other.BeginTransaction(deferred: false);

        // Microsoft.Data.Sqlite waits for locks synchronously, so the wait happens on a thread of its own.
        var adding = Task.Run(() => _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), Ct), Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(adding.IsCompleted);
        lockHeld.Rollback();
        await adding;

        Assert.NotNull(await _store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task TimesWithFinerThanMillisecondPrecision_AreTruncatedToTheMillisecond()
    {
        var precise = Samples.T0.AddTicks(9_999);
        var token = Samples.Token(_upstream.Id, "tok_1", precise, new TokenPolicy { ExpiresAt = precise });

        await _store.AddTokenAsync(token, Ct);

        var stored = await _store.FindTokenAsync("tok_1", Ct);
        Assert.Equal(Samples.T0, stored?.CreatedAt);
        Assert.Equal(Samples.T0, stored?.Policy.ExpiresAt);
    }
}
