using Keywarden.Core.Crypto;
using Keywarden.Core.Policy;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

/// <summary><c>RotateTokenAsync</c>: the successor and the old token's shortened life, all or nothing.</summary>
public sealed class TokenRotationStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = Samples.T0.AddDays(1);
    private readonly TestDatabase _database = new();
    private readonly UpstreamRecord _upstream = Samples.Upstream();
    private SqliteKeywardenStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await _database.OpenAsync();
        using var master = MasterKey.Generate();
        await _store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, master), Ct);
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_old"), Ct); // expires at T0 + 30 days
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task RotateToken_StoresTheSuccessor_AndTheOldTokenExpiresAtTheEndOfTheGrace()
    {
        var before = await _store.GetRevisionAsync(Ct);
        var successor = Successor();

        var retired = await _store.RotateTokenAsync("tok_old", successor, Now.AddHours(24), Ct);

        Assert.True(await _store.GetRevisionAsync(Ct) > before);
        RecordAssert.Equal(successor, await _store.FindTokenAsync("tok_new", Ct));
        var stored = await _store.FindTokenAsync("tok_old", Ct);
        RecordAssert.Equal(retired, stored);
        Assert.Equal("tok_new", stored!.SupersededBy);
        Assert.Equal(Now.AddHours(24), stored.Policy.ExpiresAt);
        Assert.Null(stored.RevokedAt);
        Assert.Equal(Samples.FullPolicy.Paths, stored.Policy.Paths);
    }

    [Fact]
    public async Task RotateToken_GraceBeyondTheOldExpiry_KeepsTheEarlierExpiry()
    {
        var retired = await _store.RotateTokenAsync("tok_old", Successor(), Now.AddDays(365), Ct);

        Assert.Equal(Samples.FullPolicy.ExpiresAt, retired.Policy.ExpiresAt);
    }

    [Fact]
    public async Task RotateToken_WithNoGrace_RevokesTheOldTokenAtOnce()
    {
        var retired = await _store.RotateTokenAsync("tok_old", Successor(), Now, Ct);

        Assert.Equal(Now, (await _store.FindTokenAsync("tok_old", Ct))!.RevokedAt);
        Assert.Equal(Now, retired.Policy.ExpiresAt);
    }

    [Fact]
    public async Task RotateToken_OfARevokedToken_IsAConflictAndWritesNothing()
    {
        await _store.RevokeTokenAsync("tok_old", Samples.T0.AddHours(1), Ct);

        await AssertRefusedAsync("tok_old", StorageError.Conflict, "is revoked");
    }

    [Fact]
    public async Task RotateToken_OfAnExpiredToken_IsAConflictAndWritesNothing()
    {
        await _store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_expired", policy: new TokenPolicy { ExpiresAt = Now }), Ct);

        await AssertRefusedAsync("tok_expired", StorageError.Conflict, "expired at");
    }

    [Fact]
    public async Task RotateToken_Twice_IsAConflictNamingTheSuccessor()
    {
        await _store.RotateTokenAsync("tok_old", Successor(), Now.AddHours(1), Ct);

        await AssertRefusedAsync("tok_old", StorageError.Conflict, "its successor is 'tok_new'", Successor("tok_other"));
    }

    [Fact]
    public async Task RotateToken_Unknown_IsNotFound()
    {
        await AssertRefusedAsync("tok_missing", StorageError.NotFound, "no token");
    }

    [Fact]
    public async Task RotateToken_SuccessorHashTaken_LeavesTheOldTokenUntouched()
    {
        var clash = Successor() with { Hash = (await _store.FindTokenAsync("tok_old", Ct))!.Hash };

        await AssertRefusedAsync("tok_old", StorageError.Conflict, "same hash", clash);
    }

    private static TokenRecord Successor(string id = "tok_new") =>
        Samples.Token("up_newsletter", id, Now, Samples.FullPolicy with { ExpiresAt = Now.AddDays(30) });

    private async Task AssertRefusedAsync(string id, StorageError error, string message, TokenRecord? successor = null)
    {
        successor ??= Successor();
        var before = await _store.ListTokensAsync(Ct);
        var revision = await _store.GetRevisionAsync(Ct);

        var refused = await Assert.ThrowsAsync<StorageException>(() => _store.RotateTokenAsync(id, successor, Now.AddHours(1), Ct));

        Assert.Equal(error, refused.Error);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(revision, await _store.GetRevisionAsync(Ct));
        var after = await _store.ListTokensAsync(Ct);
        Assert.Equal(before.Count, after.Count);
        foreach (var (expected, actual) in before.Zip(after))
        {
            RecordAssert.Equal(expected, actual);
        }
    }
}
