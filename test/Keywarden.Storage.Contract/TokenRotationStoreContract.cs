using Keywarden.Core.Policy;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="ITokenStore.RotateTokenAsync"/>: the successor and the old token's shortened life, all or nothing.</summary>
public abstract class TokenRotationStoreContract : StoreContract
{
    private static readonly DateTimeOffset Now = Samples.T0.AddDays(1);
    private readonly UpstreamRecord _upstream = Samples.Upstream();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_old"), AuditSamples.Change, Ct); // expires at T0 + 30 days
    }

    [Fact]
    public async Task RotateToken_StoresTheSuccessor_AndTheOldTokenExpiresAtTheEndOfTheGrace()
    {
        var before = await Store.GetRevisionAsync(Ct);
        var successor = Successor();

        var retired = await Store.RotateTokenAsync("tok_old", successor, Now.AddHours(24), _ => AuditSamples.Change, Ct);

        Assert.True(await Store.GetRevisionAsync(Ct) > before);
        RecordAssert.Equal(successor, await Store.FindTokenAsync("tok_new", Ct));
        var stored = await Store.FindTokenAsync("tok_old", Ct);
        RecordAssert.Equal(retired, stored);
        Assert.Equal("tok_new", stored!.SupersededBy);
        Assert.Equal(Now.AddHours(24), stored.Policy.ExpiresAt);
        Assert.Null(stored.RevokedAt);
        Assert.Equal(Samples.FullPolicy.Paths, stored.Policy.Paths);
    }

    [Fact]
    public async Task RotateToken_GraceBeyondTheOldExpiry_KeepsTheEarlierExpiry()
    {
        var retired = await Store.RotateTokenAsync("tok_old", Successor(), Now.AddDays(365), _ => AuditSamples.Change, Ct);

        Assert.Equal(Samples.FullPolicy.ExpiresAt, retired.Policy.ExpiresAt);
    }

    [Fact]
    public async Task RotateToken_WithNoGrace_RevokesTheOldTokenAtOnce()
    {
        var retired = await Store.RotateTokenAsync("tok_old", Successor(), Now, _ => AuditSamples.Change, Ct);

        Assert.Equal(Now, (await Store.FindTokenAsync("tok_old", Ct))!.RevokedAt);
        Assert.Equal(Now, retired.Policy.ExpiresAt);
    }

    [Fact]
    public async Task RotateToken_OfARevokedToken_IsAConflictAndWritesNothing()
    {
        await Store.RevokeTokenAsync("tok_old", Samples.T0.AddHours(1), AuditSamples.Change, Ct);

        await AssertRefusedAsync("tok_old", StorageError.Conflict, "is revoked");
    }

    [Fact]
    public async Task RotateToken_OfAnExpiredToken_IsAConflictAndWritesNothing()
    {
        await Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_expired", policy: new TokenPolicy { ExpiresAt = Now }), AuditSamples.Change, Ct);

        await AssertRefusedAsync("tok_expired", StorageError.Conflict, "expired at");
    }

    [Fact]
    public async Task RotateToken_Twice_IsAConflictNamingTheSuccessor()
    {
        await Store.RotateTokenAsync("tok_old", Successor(), Now.AddHours(1), _ => AuditSamples.Change, Ct);

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
        var clash = Successor() with { Hash = (await Store.FindTokenAsync("tok_old", Ct))!.Hash };

        await AssertRefusedAsync("tok_old", StorageError.Conflict, "same hash", clash);
    }

    private static TokenRecord Successor(string id = "tok_new") =>
        Samples.Token("up_newsletter", id, Now, Samples.FullPolicy with { ExpiresAt = Now.AddDays(30) });

    private async Task AssertRefusedAsync(string id, StorageError error, string message, TokenRecord? successor = null)
    {
        successor ??= Successor();
        var before = await Store.ListTokensAsync(Ct);
        var revision = await Store.GetRevisionAsync(Ct);

        var refused = await Assert.ThrowsAsync<StorageException>(() => Store.RotateTokenAsync(id, successor, Now.AddHours(1), _ => AuditSamples.Change, Ct));

        Assert.Equal(error, refused.Error);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(revision, await Store.GetRevisionAsync(Ct));
        var after = await Store.ListTokensAsync(Ct);
        Assert.Equal(before.Count, after.Count);
        foreach (var (expected, actual) in before.Zip(after))
        {
            RecordAssert.Equal(expected, actual);
        }
    }
}
