using System.Net;
using System.Text.RegularExpressions;
using Keywarden.Core.Audit;
using Keywarden.Core.Policy;
using Keywarden.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Decoy tokens on the real gateway and sandbox: answered exactly as a revoked token, never forwarded, audited as
/// <c>decoy</c>; the client's address then blocked for <see cref="GatewayOptions.DecoyBlock"/>, whatever token it sends.
/// </summary>
public sealed partial class DecoyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MarketingDecoy_IsAnsweredByteForByteAsARevokedToken_NeverForwarded_AndAuditedAsDecoy()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.DecoyBlock = TimeSpan.Zero);
        var revoked = await gw.IssueAsync("news");
        await gw.RevokeAsync(revoked);
        var decoy = await IssueDecoyAsync(gw, "news");

        var asRevoked = await gw.GetAsync("/3.0/lists?count=5", revoked.Token.Value);
        var asDecoy = await gw.GetAsync("/3.0/lists?count=5", decoy.Token.Value);

        asRevoked.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        AssertSameAnswer(asRevoked, asDecoy);
        Assert.Empty(gw.Received);
        var record = await LastRequestAsync(gw);
        Assert.Equal(
            (decoy.Record.Id, decoy.Record.UpstreamId, RuleNames.Decoy, AuditDecision.Deny, "127.0.0.1"),
            (record.TokenId, record.UpstreamId, record.Rule, record.Decision, record.ClientAddress));
        Assert.Null(record.KeyId);
    }

    [Fact]
    public async Task TransactionalDecoy_IsAnsweredByteForByteAsARevokedToken_NeverForwarded_AndAuditedAsDecoy()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.DecoyBlock = TimeSpan.Zero);
        var revoked = await gw.IssueAsync("mail");
        await gw.RevokeAsync(revoked);
        var decoy = await IssueDecoyAsync(gw, "mail");

        var asRevoked = await gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = revoked.Token.Value, message = new { text = "hi" } });
        var asDecoy = await gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = decoy.Token.Value, message = new { text = "hi" } });

        asRevoked.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        AssertSameAnswer(asRevoked, asDecoy);
        Assert.Empty(gw.Received);
        Assert.Empty(gw.Sandbox.State.SentMessages);
        var record = await LastRequestAsync(gw);
        Assert.Equal((decoy.Record.Id, RuleNames.Decoy, "127.0.0.1"), (record.TokenId, record.Rule, record.ClientAddress));
    }

    [Fact]
    public async Task DecoyOfTheOtherApi_OrRevoked_IsStillADecoy()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.DecoyBlock = TimeSpan.Zero);
        var decoy = await IssueDecoyAsync(gw, "news");
        await gw.Vault.Tokens.RevokeAsync(decoy.Record.Id, Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);

        var answer = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = decoy.Token.Value });

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        Assert.Equal((decoy.Record.Id, RuleNames.Decoy), ((await LastRequestAsync(gw)).TokenId, (await LastRequestAsync(gw)).Rule));
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task DecoyUse_BlocksTheClientAddress_ForTheConfiguredTime_WhateverTokenItSends_ThenLetsItIn()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await KeywardenHost.StartAsync(o => o.DecoyBlock = TimeSpan.FromMinutes(15), time: clock);
        var live = await gw.IssueAsync("news");
        var mail = await gw.IssueAsync("mail");
        var decoy = await IssueDecoyAsync(gw, "news");
        var revoked = await gw.IssueAsync("news");
        await gw.RevokeAsync(revoked);
        var before = await gw.GetAsync("/3.0/ping", live.Token.Value);

        await gw.GetAsync("/3.0/ping", decoy.Token.Value);
        clock.Advance(TimeSpan.FromMinutes(14));
        var blocked = await gw.GetAsync("/3.0/ping", live.Token.Value);
        var blockedRecord = await LastRequestAsync(gw);
        var blockedMail = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail.Token.Value });
        var blockedRevoked = await gw.GetAsync("/3.0/ping", revoked.Token.Value);
        clock.Advance(TimeSpan.FromMinutes(1));
        var after = await gw.GetAsync("/3.0/ping", live.Token.Value);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        AssertSameAnswer(blockedRevoked, blocked); // refused as an invalid key, not told why
        blockedMail.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        Assert.Equal((live.Record.Id, RuleNames.AddressBlocked, "127.0.0.1"), (blockedRecord.TokenId, blockedRecord.Rule, blockedRecord.ClientAddress));
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(2, gw.Received.Count); // before and after: nothing while blocked
        var rules = (await gw.ReadAuditAsync()).Where(r => r.Entry.Kind == AuditKind.Request).Select(r => r.Entry.Rule).ToList();
        Assert.Equal(["allow", "decoy", "address-blocked", "address-blocked", "address-blocked", "allow"], rules);
    }

    [Fact]
    public async Task DecoyUsedAgain_StartsTheBlockAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await KeywardenHost.StartAsync(o => o.DecoyBlock = TimeSpan.FromMinutes(10), time: clock);
        var live = await gw.IssueAsync("news");
        var decoy = await IssueDecoyAsync(gw, "news");

        await gw.GetAsync("/3.0/ping", decoy.Token.Value);
        clock.Advance(TimeSpan.FromMinutes(8));
        await gw.GetAsync("/3.0/ping", decoy.Token.Value);
        clock.Advance(TimeSpan.FromMinutes(8));
        var stillBlocked = await gw.GetAsync("/3.0/ping", live.Token.Value);
        clock.Advance(TimeSpan.FromMinutes(2));
        var after = await gw.GetAsync("/3.0/ping", live.Token.Value);

        stillBlocked.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task WithTheBlockOff_ADecoyUseBlocksNothing()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.DecoyBlock = TimeSpan.Zero);
        var live = await gw.IssueAsync("news");
        var decoy = await IssueDecoyAsync(gw, "news");

        await gw.GetAsync("/3.0/ping", decoy.Token.Value);
        var after = await gw.GetAsync("/3.0/ping", live.Token.Value);

        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task SuspendedToken_IsRefusedWithinTheRevocationBound_SayingSo_AndResumedItWorksAgain()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.ReloadInterval = TimeSpan.FromMilliseconds(20));
        var news = await gw.IssueAsync("news", new TokenPolicy());
        var mail = await gw.IssueAsync("mail", new TokenPolicy());
        var before = await gw.GetAsync("/3.0/ping", news.Token.Value);

        await gw.Vault.Tokens.SuspendAsync(news.Record.Id, "alert al_1 (volume): 412 requests in an hour", "monitor", Ct);
        await gw.Vault.Tokens.SuspendAsync(mail.Record.Id, "alert al_2 (volume)", "monitor", Ct);
        await WaitForReloadAsync(gw);
        var held = await gw.GetAsync("/3.0/ping", news.Token.Value);
        var heldRecord = await LastRequestAsync(gw);
        var heldMail = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail.Token.Value });
        await gw.Vault.Tokens.ResumeAsync(news.Record.Id, "alice", Ct);
        await WaitForReloadAsync(gw);
        var resumed = await gw.GetAsync("/3.0/ping", news.Token.Value);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        held.AssertProblem(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal("Keywarden: this token is suspended by Keywarden (anomaly); an operator can resume it", held.Json.GetProperty("detail").GetString());
        Assert.DoesNotContain("al_1", held.Body, StringComparison.Ordinal); // the reason is the operator's, not the client's
        Assert.DoesNotContain("keywarden token", held.Body, StringComparison.OrdinalIgnoreCase);
        heldMail.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        Assert.Contains("suspended by Keywarden (anomaly)", heldMail.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((news.Record.Id, RuleNames.TokenHeld, AuditDecision.Deny), (heldRecord.TokenId, heldRecord.Rule, heldRecord.Decision));
        Assert.Equal(HttpStatusCode.OK, resumed.Status);
        Assert.Equal(2, gw.Received.Count); // before and resumed
    }

    private static async Task<Application.IssuedToken> IssueDecoyAsync(KeywardenHost gw, string upstream)
    {
        var decoy = await gw.Vault.Tokens.IssueDecoyAsync(upstream, "planted in the wiki", Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);
        return decoy;
    }

    /// <summary>Waits, as the revocation tests do, for the gateway to load the store's revision through its change feed.</summary>
    private static async Task WaitForReloadAsync(KeywardenHost gw)
    {
        var revision = await gw.Store.GetRevisionAsync(Ct);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_token_cache_revision") >= revision, "the gateway reloads the changed token");
    }

    /// <summary>Same status, headers and body, apart from the per-request trace id in a problem's <c>instance</c> and the Date header.</summary>
    private static void AssertSameAnswer(Answer expected, Answer actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.MediaType, actual.MediaType);
        Assert.Equal(
            expected.Headers.Where(h => h.Key != "Date").OrderBy(h => h.Key, StringComparer.Ordinal),
            actual.Headers.Where(h => h.Key != "Date").OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.Equal(Instance().Replace(expected.Body, "\"instance\":\"…\""), Instance().Replace(actual.Body, "\"instance\":\"…\""));
    }

    private static async Task<AuditEntry> LastRequestAsync(KeywardenHost gw) =>
        (await gw.ReadAuditAsync()).Last(r => r.Entry.Kind == AuditKind.Request).Entry;

    [GeneratedRegex("\"instance\":\"[^\"]*\"")]
    private static partial Regex Instance();
}
