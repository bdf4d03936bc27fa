using Keywarden.Core.Policy;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="ITokenStore"/>: tokens by id and hash, revocation, and their policies read back whole.</summary>
public abstract class TokenStoreContract : StoreContract
{
    protected UpstreamRecord Upstream { get; } = Samples.Upstream();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.AddUpstreamAsync(Upstream, Samples.CurrentKey(Upstream, Master), AuditSamples.Change, Ct);
    }

    [Fact]
    public async Task AddToken_ThenFindById_ReturnsEveryFieldIncludingTheWholePolicy()
    {
        var token = Samples.Token(Upstream.Id, "tok_1") with { RevokedAt = Samples.T0.AddDays(3) };

        await Store.AddTokenAsync(token, AuditSamples.Change, Ct);

        RecordAssert.Equal(token, await Store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task AddToken_WithAnEmptyPolicy_ReadsBackEmptyListsAndNulls()
    {
        var token = Samples.Token(Upstream.Id, "tok_1", policy: new TokenPolicy());

        await Store.AddTokenAsync(token, AuditSamples.Change, Ct);

        RecordAssert.Equal(token, await Store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task FindTokenByHash_FindsTheTokenWithThatHashOnly()
    {
        var token = Samples.Token(Upstream.Id, "tok_1");
        await Store.AddTokenAsync(token, AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_2"), AuditSamples.Change, Ct);

        RecordAssert.Equal(token, await Store.FindTokenByHashAsync((byte[])token.Hash.Clone(), Ct));
        Assert.Null(await Store.FindTokenByHashAsync(new byte[32], Ct));
    }

    [Fact]
    public async Task FindToken_ThatDoesNotExist_ReturnsNull()
    {
        Assert.Null(await Store.FindTokenAsync("tok_nothing", Ct));
    }

    [Fact]
    public async Task ListTokens_IsNewestFirstAndIncludesRevokedTokens()
    {
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_middle", Samples.T0.AddDays(1)), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_newest", Samples.T0.AddDays(2)), AuditSamples.Change, Ct);
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_oldest", Samples.T0), AuditSamples.Change, Ct);
        await Store.RevokeTokenAsync("tok_middle", Samples.T0.AddDays(3), AuditSamples.Change, Ct);

        var tokens = await Store.ListTokensAsync(Ct);

        Assert.Equal(["tok_newest", "tok_middle", "tok_oldest"], tokens.Select(token => token.Id));
    }

    [Fact]
    public async Task ListTokensPage_WalksTheListInItsOrder_TiesOnTheTimeBrokenById_AndAnUnknownCursorIsNull()
    {
        // Two tokens created in the same millisecond: the page boundary falls between them and neither is lost or repeated.
        foreach (var (id, day) in new[] { ("tok_a", 0), ("tok_b", 1), ("tok_c", 1), ("tok_d", 2), ("tok_e", 3) })
        {
            await Store.AddTokenAsync(Samples.Token(Upstream.Id, id, Samples.T0.AddDays(day)), AuditSamples.Change, Ct);
        }

        var walked = new List<string>();
        string? cursor = null;
        while (await Store.ListTokensPageAsync(cursor, 2, Ct) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 2);
            walked.AddRange(page.Select(token => token.Id));
            cursor = page[^1].Id;
        }

        Assert.Equal((await Store.ListTokensAsync(Ct)).Select(token => token.Id), walked);
        Assert.Equal(["tok_e", "tok_d", "tok_c", "tok_b", "tok_a"], walked);
        Assert.Null(await Store.ListTokensPageAsync("tok_nothing", 2, Ct));
    }

    [Fact]
    public async Task RevokeToken_RecordsTheTimeAndKeepsTheFirstOne()
    {
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_1"), AuditSamples.Change, Ct);

        Assert.True(await Store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(1), AuditSamples.Change, Ct));
        Assert.True(await Store.RevokeTokenAsync("tok_1", Samples.T0.AddHours(2), AuditSamples.Change, Ct));

        Assert.Equal(Samples.T0.AddHours(1), (await Store.FindTokenAsync("tok_1", Ct))?.RevokedAt);
    }

    [Fact]
    public async Task RevokeToken_ThatDoesNotExist_ReturnsFalse()
    {
        Assert.False(await Store.RevokeTokenAsync("tok_nothing", Samples.T0, AuditSamples.Change, Ct));
    }

    [Fact]
    public async Task AddToken_WithATakenId_IsAConflict()
    {
        await Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_1"), AuditSamples.Change, Ct);
        var duplicate = Samples.Token(Upstream.Id, "tok_2") with { Id = "tok_1" };

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.AddTokenAsync(duplicate, AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Equal("a token with id 'tok_1' already exists", error.Message);
    }

    [Fact]
    public async Task AddToken_WithATakenHash_IsAConflictWhoseMessageDoesNotShowTheHash()
    {
        var first = Samples.Token(Upstream.Id, "tok_1");
        await Store.AddTokenAsync(first, AuditSamples.Change, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(
            () => Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_2") with { Hash = first.Hash }, AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.DoesNotContain(Convert.ToHexString(first.Hash), error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(first.Hash), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddToken_ForAnUnknownUpstream_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Store.AddTokenAsync(Samples.Token("up_nothing", "tok_1"), AuditSamples.Change, Ct));

        Assert.Equal(StorageError.NotFound, error.Error);
        Assert.Null(await Store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task AddToken_ForARemovedUpstream_IsNotFound()
    {
        await Store.RemoveUpstreamAsync(Upstream.Name, Samples.T0, AuditSamples.Change, Ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_1"), AuditSamples.Change, Ct));

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
                    await Store.AddTokenAsync(Samples.Token(Upstream.Id, $"tok_{writer}_{i}"), AuditSamples.Change, Ct);
                }
            },
            Ct)));

        Assert.Equal(Writers * TokensPerWriter, (await Store.ListTokensAsync(Ct)).Count);
    }

    [Fact]
    public async Task AddToken_WithANameThatIsNotValidUnicode_IsRefusedRatherThanAltered()
    {
        var token = Samples.Token(Upstream.Id, "tok_1") with { Name = "app \uDC00" };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddTokenAsync(token, AuditSamples.Change, Ct));

        Assert.Null(await Store.FindTokenAsync("tok_1", Ct));
    }

    [Fact]
    public async Task TimesWithFinerThanMillisecondPrecision_AreTruncatedToTheMillisecond()
    {
        var precise = Samples.T0.AddTicks(9_999);
        var token = Samples.Token(Upstream.Id, "tok_1", precise, new TokenPolicy { ExpiresAt = precise });

        await Store.AddTokenAsync(token, AuditSamples.Change, Ct);

        var stored = await Store.FindTokenAsync("tok_1", Ct);
        Assert.Equal(Samples.T0, stored?.CreatedAt);
        Assert.Equal(Samples.T0, stored?.Policy.ExpiresAt);
    }
}
