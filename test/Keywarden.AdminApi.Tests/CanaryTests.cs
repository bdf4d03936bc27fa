using System.Net;
using System.Text;
using Keywarden.Gateway.Tests;
using Keywarden.Sandbox;
using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi.Tests;

/// <summary>
/// Canaries: after admin traffic that carries secrets (an upstream key in a body, issued tokens, bearer tokens good and
/// bad), none of them appears in the logs (every level, every category), the audit log, or any error body.
/// </summary>
public sealed class CanaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoKeyTokenOrBearer_AppearsInLogsAuditOrErrorBodies()
    {
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var host = await AdminApiHost.StartAsync(loggerFactory);
        var bodies = new StringBuilder();
        var key = host.Gateway.Sandbox.State.CreateKey(host.Gateway.Account.AccountId, SandboxKeyKind.Marketing, "canary").Key;
        const string WrongBearer = "kws_WrongSessionTokenFAKE0000000000000000";

        var added = await host.JsonAsync(
            HttpMethod.Post, "/v1/upstreams", TestAuthenticator.AdminSteppedUp,
            new { name = "canary", kind = "marketing", key, base_url = host.Gateway.Sandbox.BaseAddress }, HttpStatusCode.Created);
        bodies.Append(added.GetRawText());
        await CollectAsync(host.SendAsync(HttpMethod.Post, "/v1/upstreams", TestAuthenticator.AdminSteppedUp, new { name = "again", kind = "marketing", key }));
        await CollectAsync(host.SendAsync(HttpMethod.Post, "/v1/upstreams", TestAuthenticator.Admin, new { name = "stale", kind = "marketing", key }));
        await CollectAsync(host.SendAsync(HttpMethod.Post, "/v1/upstreams", TestAuthenticator.AdminSteppedUp, new { name = "bad kind", kind = "marketing", key = key + "x" }));
        await CollectAsync(host.SendAsync(HttpMethod.Get, "/v1/tokens", WrongBearer));
        var issued = await host.JsonAsync(
            HttpMethod.Post, "/v1/tokens", TestAuthenticator.Operator, new { upstream = "canary", name = "app", paths = new[] { "/ping" } }, HttpStatusCode.Created);
        var token = issued.GetProperty("token").GetString()!;
        var id = issued.GetProperty("id").GetString()!;
        await CollectAsync(host.SendAsync(HttpMethod.Get, $"/v1/tokens/{token}", TestAuthenticator.Viewer));
        await CollectAsync(host.SendAsync(HttpMethod.Post, $"/v1/tokens/{id}/rotate", TestAuthenticator.Operator, new { grace_seconds = 0 }));
        await CollectAsync(host.SendAsync(HttpMethod.Post, $"/v1/tokens/{id}/suspend", TestAuthenticator.Operator, new { reason = "" }));

        using var export = await host.SendAsync(HttpMethod.Get, "/v1/audit/export", TestAuthenticator.Viewer);
        var audit = await export.Content.ReadAsStringAsync(Ct);
        Assert.Contains("upstream.add", audit, StringComparison.Ordinal);

        var errors = bodies.ToString();
        foreach (var (what, secret) in new[] { ("key", key), ("token", token), ("bearer", WrongBearer), ("admin bearer", TestAuthenticator.AdminSteppedUp) })
        {
            Assert.False(logs.Text.Contains(secret, StringComparison.Ordinal), $"the {what} is in the logs: {string.Join('\n', logs.Lines.Where(l => l.Contains(secret, StringComparison.Ordinal)))}");
            Assert.False(audit.Contains(secret, StringComparison.Ordinal), $"the {what} is in the audit log");
            Assert.False(errors.Contains(secret, StringComparison.Ordinal), $"the {what} is in an error body");
        }

        async Task CollectAsync(Task<HttpResponseMessage> sending)
        {
            using var response = await sending;
            Assert.False(response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Created);
            bodies.Append(await response.Content.ReadAsStringAsync(Ct)).Append('\n');
        }
    }
}
