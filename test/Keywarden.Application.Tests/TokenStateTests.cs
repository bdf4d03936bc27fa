using Keywarden.Core.Keys;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage.Tests.Support;

namespace Keywarden.Application.Tests;

/// <summary>Decoys, suspension and resumption, and the on-anomaly setting, through <see cref="TokenService"/> on a real store.</summary>
public sealed class TokenStateTests : IAsyncLifetime
{
    private const string MarketingKey = "0123456789abcdef0123456789abcdef-us21"; // FAKE key, never valid
    private const string Reason = "alert al_1 (volume): 412 requests in an hour, expected at most 60";
    private TempVault _temp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TokenService Tokens => _temp.Vault.Tokens;

    public async ValueTask InitializeAsync()
    {
        _temp = await TempVault.CreateAsync();
        await _temp.Vault.Upstreams.AddAsync(
            new AddUpstreamRequest("news", UpstreamKind.Marketing, MarketingKey, null, null, Verify: false, AddUpstreamRequest.DefaultMaxKeyAge), Ct);
    }

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task IssueDecoy_GivesATokenInTheRealFormat_StoredByItsHashAsADecoyThatAllowsNothing()
    {
        var decoy = await Tokens.IssueDecoyAsync("news", "ci variables of repo billing", Ct);
        var real = await Tokens.IssueAsync("news", "billing", new TokenPolicy(), Ct);

        Assert.True(GatewayToken.IsValid(decoy.Token.Value));
        Assert.Equal(real.Token.Value.Length, decoy.Token.Value.Length);
        Assert.Equal(real.Token.Value[..3], decoy.Token.Value[..3]);
        var stored = await _temp.Temp.Store.FindTokenByHashAsync(decoy.Token.ComputeHash(), Ct);
        Assert.NotNull(stored);
        Assert.True(stored.Decoy);
        Assert.Equal(decoy.Record.Id, stored.Id);
        Assert.Equal(stored.CreatedAt, stored.Policy.ExpiresAt); // expired from its issue
        Assert.True(stored.Policy.ReadOnly);
        Assert.Equal("decoy", (await Tokens.FindAsync(stored.Id, Ct)).State);
        var issued = (await _temp.Temp.Store.TailAsync(2, Ct))[0].Entry; // the decoy's, before the real token's
        Assert.Equal(("token.decoy", stored.Id), (issued.Method, issued.Path));
        Assert.DoesNotContain(decoy.Token.Value, issued.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueDecoy_ForAnUnknownUpstream_OrWithoutAName_IsRefusedLikeAnIssue()
    {
        var upstream = await Assert.ThrowsAsync<VaultException>(() => Tokens.IssueDecoyAsync("nope", "wiki", Ct));
        var name = await Assert.ThrowsAsync<VaultException>(() => Tokens.IssueDecoyAsync("news", " ", Ct));

        Assert.Equal(VaultErrorCode.UpstreamNotFound, upstream.Code);
        Assert.Equal(VaultErrorCode.TokenNameInvalid, name.Code);
    }

    [Fact]
    public async Task Issue_WithAnOnAnomalySetting_StoresIt_AndARotationKeepsIt()
    {
        var issued = await Tokens.IssueAsync("news", "billing", new TokenPolicy(), AnomalyResponse.Suspend, Ct);
        var rotated = await Tokens.RotateAsync(issued.Record.Id, TimeSpan.Zero, Ct);

        Assert.Equal(AnomalyResponse.Suspend, (await Tokens.FindAsync(issued.Record.Id, Ct)).Record.OnAnomaly);
        Assert.Equal(AnomalyResponse.Suspend, (await Tokens.FindAsync(rotated.Successor.Record.Id, Ct)).Record.OnAnomaly);
        Assert.Null((await Tokens.IssueAsync("news", "other", new TokenPolicy(), Ct)).Record.OnAnomaly);
    }

    [Fact]
    public async Task Suspend_ThenResume_ChangesTheState_AndAuditsBothWithTheActorAndTheReason()
    {
        var issued = await Tokens.IssueAsync("news", "billing", new TokenPolicy(), Ct);

        var suspended = await Tokens.SuspendAsync(issued.Record.Id, Reason, "monitor", Ct);
        var again = await Tokens.SuspendAsync(issued.Record.Id, "another alert", "monitor", Ct);
        var resumed = await Tokens.ResumeAsync(issued.Record.Id, "alice", Ct);
        var resumedAgain = await Tokens.ResumeAsync(issued.Record.Id, "alice", Ct);

        Assert.True(suspended.Changed);
        Assert.Equal("suspended", suspended.Token.State);
        Assert.Equal(Reason, suspended.Token.Record.Suspension?.Reason);
        Assert.False(again.Changed);
        Assert.Equal(Reason, again.Token.Record.Suspension?.Reason);
        Assert.True(resumed.Changed);
        Assert.Equal("active", resumed.Token.State);
        Assert.False(resumedAgain.Changed);
        var records = (await _temp.Temp.Store.TailAsync(2, Ct)).Select(r => r.Entry).ToList();
        Assert.Equal(("token.suspend", "monitor", Reason), (records[0].Method, records[0].Actor, records[0].Detail));
        Assert.Equal(("token.resume", "alice"), (records[1].Method, records[1].Actor));
        Assert.Contains(Reason, records[1].Detail, StringComparison.Ordinal);
        Assert.All(records, r => Assert.Equal(issued.Record.Id, r.TokenId));
    }

    [Fact]
    public async Task Suspend_OfADecoyOrARevokedToken_IsTokenNotSuspendable_NamingIt()
    {
        var decoy = await Tokens.IssueDecoyAsync("news", "wiki", Ct);
        var revoked = await Tokens.IssueAsync("news", "old", new TokenPolicy(), Ct);
        await Tokens.RevokeAsync(revoked.Record.Id, Ct);

        var ofDecoy = await Assert.ThrowsAsync<VaultException>(() => Tokens.SuspendAsync(decoy.Record.Id, Reason, cancellationToken: Ct));
        var ofRevoked = await Assert.ThrowsAsync<VaultException>(() => Tokens.SuspendAsync(revoked.Record.Id, Reason, cancellationToken: Ct));

        Assert.Equal((VaultErrorCode.TokenNotSuspendable, decoy.Record.Id), (ofDecoy.Code, ofDecoy.Value));
        Assert.Contains("decoy", ofDecoy.Message, StringComparison.Ordinal);
        Assert.Equal((VaultErrorCode.TokenNotSuspendable, revoked.Record.Id), (ofRevoked.Code, ofRevoked.Value));
        Assert.Contains("revoked", ofRevoked.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Suspend_WithoutAReason_IsSuspensionReasonInvalid(string? reason)
    {
        var issued = await Tokens.IssueAsync("news", "billing", new TokenPolicy(), Ct);

        var e = await Assert.ThrowsAsync<VaultException>(() => Tokens.SuspendAsync(issued.Record.Id, reason!, cancellationToken: Ct));

        Assert.Equal(VaultErrorCode.SuspensionReasonInvalid, e.Code);
        Assert.Equal("active", (await Tokens.FindAsync(issued.Record.Id, Ct)).State);
    }

    [Fact]
    public async Task Suspend_WithAReasonLongerThanTheLimit_IsSuspensionReasonInvalid()
    {
        var issued = await Tokens.IssueAsync("news", "billing", new TokenPolicy(), Ct);

        var e = await Assert.ThrowsAsync<VaultException>(
            () => Tokens.SuspendAsync(issued.Record.Id, new string('x', TokenService.MaxReasonLength + 1), cancellationToken: Ct));

        Assert.Equal(VaultErrorCode.SuspensionReasonInvalid, e.Code);
    }

    [Fact]
    public async Task SuspendResumeAndFind_OfAnUnknownIdOrNotAnId_AreTokenNotFoundAndNotATokenId()
    {
        var id = AccessorId.New();
        var secret = GatewayToken.Generate().Value; // FAKE token, never issued

        Assert.Equal(VaultErrorCode.TokenNotFound, (await Assert.ThrowsAsync<VaultException>(() => Tokens.SuspendAsync(id, Reason, cancellationToken: Ct))).Code);
        Assert.Equal(VaultErrorCode.TokenNotFound, (await Assert.ThrowsAsync<VaultException>(() => Tokens.ResumeAsync(id, cancellationToken: Ct))).Code);
        Assert.Equal(VaultErrorCode.TokenNotFound, (await Assert.ThrowsAsync<VaultException>(() => Tokens.FindAsync(id, Ct))).Code);
        var notAnId = await Assert.ThrowsAsync<VaultException>(() => Tokens.SuspendAsync(secret, Reason, cancellationToken: Ct));
        Assert.Equal(VaultErrorCode.NotATokenId, notAnId.Code);
        Assert.DoesNotContain(secret, notAnId.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_OfADecoy_IsTokenNotRotatable()
    {
        var decoy = await Tokens.IssueDecoyAsync("news", "wiki", Ct);

        var e = await Assert.ThrowsAsync<VaultException>(() => Tokens.RotateAsync(decoy.Record.Id, TimeSpan.Zero, Ct));

        Assert.Equal(VaultErrorCode.TokenNotRotatable, e.Code);
    }

    [Fact]
    public async Task List_ShowsDecoyAndSuspendedStates()
    {
        var decoy = await Tokens.IssueDecoyAsync("news", "wiki", Ct);
        var held = await Tokens.IssueAsync("news", "billing", new TokenPolicy(), Ct);
        await Tokens.SuspendAsync(held.Record.Id, Reason, cancellationToken: Ct);

        var states = (await Tokens.ListAsync(Ct)).ToDictionary(t => t.Record.Id, t => t.State);

        Assert.Equal("decoy", states[decoy.Record.Id]);
        Assert.Equal("suspended", states[held.Record.Id]);
    }
}
