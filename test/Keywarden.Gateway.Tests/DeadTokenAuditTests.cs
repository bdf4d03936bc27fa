using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Core.Tokens;
using Keywarden.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// A token that exists but may not be used is answered as Mailchimp answers an invalid key, and its record names it:
/// whoever still presents a revoked or rotated token (a forgotten deployment, or whoever stole it) can be found. A token
/// nobody issued stays anonymous, but the client address is kept.
/// </summary>
public sealed class DeadTokenAuditTests : IClassFixture<SharedGateway>
{
    private readonly SharedGateway _shared;

    public DeadTokenAuditTests(SharedGateway shared)
    {
        _shared = shared;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokedToken_IsRefusedAsAnInvalidKey_AndItsRecordNamesIt()
    {
        var gw = _shared.Fresh();
        var issued = await gw.IssueAsync("news");
        await gw.Vault.Tokens.RevokeAsync(issued.Record.Id, Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);

        var answer = await gw.GetAsync("/3.0/ping", issued.Token.Value);

        answer.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        var record = await LastRequestAsync(gw);
        Assert.Equal((issued.Record.Id, issued.Record.UpstreamId, "token-revoked", AuditDecision.Deny), (record.TokenId, record.UpstreamId, record.Rule, record.Decision));
        Assert.Equal("127.0.0.1", record.ClientAddress);
        Assert.Null(record.KeyId);
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task TokenRotatedWithoutGrace_IsRefused_AndItsRecordNamesTheOldToken()
    {
        var gw = _shared.Fresh();
        var issued = await gw.IssueAsync("mail");
        await gw.Vault.Tokens.RotateAsync(issued.Record.Id, TimeSpan.Zero, Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);

        var answer = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = issued.Token.Value });

        answer.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        var record = await LastRequestAsync(gw);
        Assert.Equal((issued.Record.Id, "token-revoked"), (record.TokenId, record.Rule));
    }

    [Fact]
    public async Task TokenOfTheOtherApi_IsAnInvalidKeyThere_AndItsRecordNamesIt()
    {
        var gw = _shared.Fresh();
        var marketing = await gw.IssueAsync("news");
        var transactional = await gw.IssueAsync("mail");

        var inMandrill = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = marketing.Token.Value });
        var mandrillRecord = await LastRequestAsync(gw);
        var inMarketing = await gw.GetAsync("/3.0/ping", transactional.Token.Value);
        var marketingRecord = await LastRequestAsync(gw);

        inMandrill.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        inMarketing.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Equal((marketing.Record.Id, "token-wrong-api"), (mandrillRecord.TokenId, mandrillRecord.Rule));
        Assert.Equal((transactional.Record.Id, "token-wrong-api"), (marketingRecord.TokenId, marketingRecord.Rule));
        Assert.Empty(gw.Received);
    }

    [Fact]
    public async Task UnknownToken_StaysAnonymous_ButKeepsTheClientAddress()
    {
        var gw = _shared.Fresh();

        var answer = await gw.GetAsync("/3.0/ping", GatewayToken.Generate().Value);

        answer.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        var record = await LastRequestAsync(gw);
        Assert.Equal((null, null, "token-unknown", "127.0.0.1"), (record.TokenId, record.UpstreamId, record.Rule, record.ClientAddress));
    }

    private static async Task<AuditEntry> LastRequestAsync(KeywardenHost gw) =>
        (await gw.ReadAuditAsync()).Last(r => r.Entry.Kind == AuditKind.Request).Entry;
}
