using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage.Tests.Support;

namespace Keywarden.Application.Tests;

/// <summary>The services refuse with a code and the value it concerns, which front ends word themselves.</summary>
public sealed class VaultRefusalTests : IAsyncLifetime
{
    private const string MarketingKey = "0123456789abcdef0123456789abcdef-us21"; // FAKE key, never valid
    private TempVault _temp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _temp = await TempVault.CreateAsync();

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Issue_ForAnUnknownUpstream_IsUpstreamNotFound_NamingIt()
    {
        var e = await Assert.ThrowsAsync<VaultException>(() => _temp.Vault.Tokens.IssueAsync("nope", "billing", new TokenPolicy(), Ct));

        Assert.Equal(VaultErrorCode.UpstreamNotFound, e.Code);
        Assert.Equal("nope", e.Value);
        Assert.Equal("no upstream named 'nope'", e.Message);
    }

    [Fact]
    public async Task Issue_WithoutAName_IsTokenNameInvalid()
    {
        await AddUpstreamAsync("news");

        var e = await Assert.ThrowsAsync<VaultException>(() => _temp.Vault.Tokens.IssueAsync("news", " ", new TokenPolicy(), Ct));

        Assert.Equal(VaultErrorCode.TokenNameInvalid, e.Code);
    }

    [Fact]
    public async Task Revoke_OfSomethingNotAnId_IsNotATokenId_AndDoesNotKeepWhatWasGiven()
    {
        var secret = GatewayToken.Generate().Value;

        var e = await Assert.ThrowsAsync<VaultException>(() => _temp.Vault.Tokens.RevokeAsync(secret, Ct));

        Assert.Equal(VaultErrorCode.NotATokenId, e.Code);
        Assert.Null(e.Value);
        Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_OfAnUnknownId_IsTokenNotFound_NamingIt()
    {
        var id = AccessorId.New();

        var e = await Assert.ThrowsAsync<VaultException>(() => _temp.Vault.Tokens.RevokeAsync(id, Ct));

        Assert.Equal(VaultErrorCode.TokenNotFound, e.Code);
        Assert.Equal(id, e.Value);
    }

    [Fact]
    public async Task Rotate_OfARevokedToken_IsTokenNotRotatable_InTheStoresWords()
    {
        await AddUpstreamAsync("news");
        var issued = await _temp.Vault.Tokens.IssueAsync("news", "billing", new TokenPolicy(), Ct);
        await _temp.Vault.Tokens.RevokeAsync(issued.Record.Id, Ct);

        var e = await Assert.ThrowsAsync<VaultException>(() => _temp.Vault.Tokens.RotateAsync(issued.Record.Id, TimeSpan.Zero, Ct));

        Assert.Equal(VaultErrorCode.TokenNotRotatable, e.Code);
        Assert.Equal(issued.Record.Id, e.Value);
        Assert.Equal(e.InnerException?.Message, e.Message);
    }

    [Fact]
    public async Task Add_WithAnInvalidName_OrANonPositiveMaxKeyAge_OrATakenName_IsRefusedByCode()
    {
        await AddUpstreamAsync("news");

        var badName = await Assert.ThrowsAsync<VaultException>(() => AddUpstreamAsync("News Letter"));
        var badAge = await Assert.ThrowsAsync<VaultException>(() => AddUpstreamAsync("other", TimeSpan.Zero));
        var taken = await Assert.ThrowsAsync<VaultException>(() => AddUpstreamAsync("news"));

        Assert.Equal((VaultErrorCode.UpstreamNameInvalid, "News Letter"), (badName.Code, badName.Value));
        Assert.Equal(VaultErrorCode.MaxKeyAgeNotPositive, badAge.Code);
        Assert.Equal((VaultErrorCode.UpstreamExists, "news"), (taken.Code, taken.Value));
    }

    [Fact]
    public void EnsureInitialized_OfAnEmptyDirectory_IsNoDataDirectory_NamingIt()
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "keywarden-application-tests-" + Guid.NewGuid().ToString("N")));

        var e = Assert.Throws<VaultException>(data.EnsureInitialized);

        Assert.Equal((VaultErrorCode.NoDataDirectory, data.Root), (e.Code, e.Value));
    }

    [Fact]
    public void LoadFile_OfAMissingKeyFile_IsMasterKeyFileMissing_NamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "keywarden-application-tests-" + Guid.NewGuid().ToString("N"), "master.key");

        var e = Assert.Throws<VaultException>(() => MasterKeySource.LoadFile(path));

        Assert.Equal((VaultErrorCode.MasterKeyFileMissing, path), (e.Code, e.Value));
    }

    private Task AddUpstreamAsync(string name, TimeSpan? maxKeyAge = null) =>
        _temp.Vault.Upstreams.AddAsync(
            new AddUpstreamRequest(name, UpstreamKind.Marketing, MarketingKey, null, null, Verify: false, maxKeyAge ?? AddUpstreamRequest.DefaultMaxKeyAge), Ct);
}
