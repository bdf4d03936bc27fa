using System.Net;
using Keywarden.Core.Policy;
using Keywarden.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary><c>token rotate</c> seen from the wire: old and new tokens both work during the grace, then only the new one.</summary>
public sealed class TokenRotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RotatedMarketingToken_WorksUntilTheGraceEnds_ThenGetsApiKeyInvalid_WhileTheSuccessorWorks()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var old = await gw.IssueAsync("news", new TokenPolicy { Paths = ["/ping"], ExpiresAt = clock.GetUtcNow().AddDays(30) });

        var revision = await gw.Store.GetRevisionAsync(Ct);
        var rotated = await gw.Vault.Tokens.RotateAsync(old.Record.Id, TimeSpan.FromHours(1), Ct);
        Assert.True(await gw.Store.GetRevisionAsync(Ct) > revision, "the rotation must move the revision the gateway reloads on");
        await gw.Gateway.RefreshTokensAsync(Ct);
        var successor = rotated.Successor.Token.Value;
        var graceEnd = rotated.Retired.Policy.ExpiresAt!.Value; // the vault's clock (the system's) + 1 hour

        var oldDuringGrace = await gw.GetAsync("/3.0/ping", old.Token.Value);
        var newDuringGrace = await gw.GetAsync("/3.0/ping", successor);
        var newOutsidePolicy = await gw.GetAsync("/3.0/lists", successor);
        clock.Advance(graceEnd - clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        var oldLastMoment = await gw.GetAsync("/3.0/ping", old.Token.Value);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var oldAfterGrace = await gw.GetAsync("/3.0/ping", old.Token.Value);
        var newAfterGrace = await gw.GetAsync("/3.0/ping", successor);

        Assert.Equal(HttpStatusCode.OK, oldDuringGrace.Status);
        Assert.Equal(HttpStatusCode.OK, newDuringGrace.Status);
        newOutsidePolicy.AssertProblem(HttpStatusCode.Forbidden, "Forbidden"); // the successor carries the same narrow policy
        Assert.Equal(HttpStatusCode.OK, oldLastMoment.Status);
        oldAfterGrace.AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Equal(HttpStatusCode.OK, newAfterGrace.Status);
        var audit = await gw.ReadAuditAsync();
        Assert.Contains(audit, r => r.Entry.Method == "token.rotate" && r.Entry.TokenId == rotated.Successor.Record.Id && r.Entry.Path == old.Record.Id);
        Assert.DoesNotContain(audit, r => (r.Entry.Detail ?? "").Contains(successor, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotatedTransactionalToken_AfterTheGrace_GetsInvalidKey()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var old = await gw.IssueAsync("mail");

        var rotated = await gw.Vault.Tokens.RotateAsync(old.Record.Id, TimeSpan.FromMinutes(30), Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);
        var during = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = old.Token.Value });
        clock.Advance(rotated.Retired.Policy.ExpiresAt!.Value - clock.GetUtcNow());
        var after = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = old.Token.Value });
        var successor = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = rotated.Successor.Token.Value });

        Assert.Equal(HttpStatusCode.OK, during.Status);
        after.AssertMandrillError(HttpStatusCode.InternalServerError, "Invalid_Key");
        Assert.Equal(HttpStatusCode.OK, successor.Status);
    }

    [Fact]
    public async Task RotationWithNoGrace_RefusesTheOldTokenAtOnce()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var old = await gw.IssueAsync("news");

        var rotated = await gw.Vault.Tokens.RotateAsync(old.Record.Id, TimeSpan.Zero, Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);

        (await gw.GetAsync("/3.0/ping", old.Token.Value)).AssertProblem(HttpStatusCode.Unauthorized, "API Key Invalid");
        Assert.Equal(HttpStatusCode.OK, (await gw.GetAsync("/3.0/ping", rotated.Successor.Token.Value)).Status);
    }
}
