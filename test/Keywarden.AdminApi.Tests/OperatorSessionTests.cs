using System.Net;
using Keywarden.Application;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Keywarden.AdminApi.Tests;

/// <summary>
/// The admin API with real operator accounts: log in with password and TOTP, step up for sensitive changes, invite a
/// second operator who issues, uses and revokes a token, machine credentials for scripts, and log out.
/// </summary>
public sealed class OperatorSessionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoginStepUpInvite_ThenTheNewOperatorIssuesUsesAndRevokesAToken()
    {
        var clock = new FakeTimeProvider(T0);
        await using var host = await AdminApiHost.StartAsync(authenticator: AdminApiHost.WithOperators, operatorTime: clock);
        var setup = await host.Operators.CreateSetupCodeAsync("ada", new AdminActor("root", null), Ct);
        var ada = await EnrolAsync(host, clock, setup.Code, "ada");

        // Login: password and code → a kws_ session token.
        var adaToken = await LoginAsync(host, clock, "ada", ada);
        var session = await host.JsonAsync(HttpMethod.Get, "/v1/auth/session", adaToken);
        Assert.Equal("admin", session.GetProperty("role").GetString());
        Assert.False(session.GetProperty("step_up_fresh").GetBoolean());

        // Inviting needs a fresh second factor, even inside the session.
        using (var refused = await host.SendAsync(HttpMethod.Post, "/v1/operators", adaToken, new { name = "otto", role = "operator" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("step_up_required", await AccessTests.ProblemCodeAsync(refused));
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        await host.JsonAsync(HttpMethod.Post, "/v1/auth/step-up", adaToken, new { code = Code(ada, clock) });
        var invitation = await host.JsonAsync(HttpMethod.Post, "/v1/operators", adaToken, new { name = "otto", role = "operator" }, HttpStatusCode.Created);
        Assert.StartsWith("kwi_", invitation.GetProperty("code").GetString(), StringComparison.Ordinal);

        // Five minutes on, the step-up has gone stale.
        clock.Advance(TimeSpan.FromMinutes(6));
        using (var stale = await host.SendAsync(HttpMethod.Delete, "/v1/upstreams/mail", adaToken))
        {
            Assert.Equal("step_up_required", await AccessTests.ProblemCodeAsync(stale));
        }

        var otto = await EnrolAsync(host, clock, invitation.GetProperty("code").GetString()!, "otto");
        var ottoToken = await LoginAsync(host, clock, "otto", otto);
        var issued = await host.JsonAsync(
            HttpMethod.Post, "/v1/tokens", ottoToken, new { upstream = "news", name = "newsletter", paths = new[] { "/ping" } }, HttpStatusCode.Created);
        var token = issued.GetProperty("token").GetString()!;
        await host.Gateway.Gateway.RefreshTokensAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, (await host.Gateway.GetAsync("/3.0/ping", token)).Status);
        await host.JsonAsync(HttpMethod.Post, $"/v1/tokens/{issued.GetProperty("id").GetString()}/revoke", ottoToken);
        await host.Gateway.Gateway.RefreshTokensAsync(Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Gateway.GetAsync("/3.0/ping", token)).Status);

        using (var tooLow = await host.SendAsync(HttpMethod.Get, "/v1/operators", ottoToken))
        {
            Assert.Equal("role_too_low", await AccessTests.ProblemCodeAsync(tooLow));
        }

        var byOtto = await host.JsonAsync(HttpMethod.Get, "/v1/audit/tail?actor=otto", adaToken);
        var actions = byOtto.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("method").GetString()).ToList();
        Assert.Contains("token.issue", actions);
        Assert.Contains("token.revoke", actions);
        Assert.All(byOtto.GetProperty("records").EnumerateArray(), r => Assert.Equal("127.0.0.1", r.GetProperty("client").GetString()));

        // Logging out ends the session at once.
        await host.JsonAsync(HttpMethod.Post, "/v1/auth/logout", ottoToken);
        using var after = await host.SendAsync(HttpMethod.Get, "/v1/tokens", ottoToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task AMachineCredential_ActsWithItsRole_AndIsNamedMachineInTheAudit()
    {
        var clock = new FakeTimeProvider(T0);
        await using var host = await AdminApiHost.StartAsync(authenticator: AdminApiHost.WithOperators, operatorTime: clock);
        var setup = await host.Operators.CreateSetupCodeAsync("ada", new AdminActor("root", null), Ct);
        var ada = await EnrolAsync(host, clock, setup.Code, "ada");
        var adaToken = await LoginAsync(host, clock, "ada", ada);
        clock.Advance(TimeSpan.FromSeconds(30));
        await host.JsonAsync(HttpMethod.Post, "/v1/auth/step-up", adaToken, new { code = Code(ada, clock) });

        var issued = await host.JsonAsync(
            HttpMethod.Post, "/v1/machine-credentials", adaToken, new { name = "ci", role = "operator", expires_at = T0.AddDays(30) }, HttpStatusCode.Created);
        var credential = issued.GetProperty("credential").GetString()!;
        Assert.StartsWith("kwm_", credential, StringComparison.Ordinal);

        await host.JsonAsync(HttpMethod.Post, "/v1/tokens", credential, new { upstream = "news", name = "deploy", paths = new[] { "/ping" } }, HttpStatusCode.Created);
        using (var refused = await host.SendAsync(HttpMethod.Post, "/v1/tokens", credential, new { upstream = "news", name = "everything" }))
        {
            Assert.Equal("step_up_required", await AccessTests.ProblemCodeAsync(refused)); // a machine never steps up
        }

        var tail = await host.JsonAsync(HttpMethod.Get, "/v1/audit/tail?actor=machine:ci", credential);
        Assert.Equal("token.issue", Assert.Single(tail.GetProperty("records").EnumerateArray()).GetProperty("method").GetString());

        await host.JsonAsync(HttpMethod.Delete, "/v1/machine-credentials/ci", adaToken);
        using var revoked = await host.SendAsync(HttpMethod.Get, "/v1/tokens", credential);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    /// <summary>The password every test operator gets (FAKE).</summary>
    private static string PasswordOf(string name) => $"FAKE-pass-{name}-0123456789";

    private static string Code(byte[] secret, TimeProvider clock) => new Totp(secret).ComputeTotp(clock.GetUtcNow().UtcDateTime);

    private static async Task<byte[]> EnrolAsync(AdminApiHost host, FakeTimeProvider clock, string code, string name)
    {
        var actor = new AdminActor(name, "127.0.0.1");
        await host.Operators.RedeemInvitationAsync(code, PasswordOf(name), actor, Ct);
        var enrolment = await host.Operators.BeginEnrolmentAsync(name, PasswordOf(name), actor, Ct);
        var secret = Base32Encoding.ToBytes(enrolment.Secret);
        clock.Advance(TimeSpan.FromSeconds(30));
        await host.Operators.CompleteEnrolmentAsync(name, PasswordOf(name), Code(secret, clock), actor, Ct);
        return secret;
    }

    private static async Task<string> LoginAsync(AdminApiHost host, FakeTimeProvider clock, string name, byte[] secret)
    {
        clock.Advance(TimeSpan.FromSeconds(30));
        var login = await host.JsonAsync(
            HttpMethod.Post, "/v1/auth/login", token: null, new { name, password = PasswordOf(name), code = Code(secret, clock) }, HttpStatusCode.Created);
        var token = login.GetProperty("token").GetString()!;
        Assert.StartsWith("kws_", token, StringComparison.Ordinal);
        return token;
    }
}
