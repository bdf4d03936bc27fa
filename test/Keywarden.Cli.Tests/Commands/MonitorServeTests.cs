using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Keywarden.Core.Audit;
using Keywarden.Notifications;
using Keywarden.Storage.Sqlite;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>
/// The monitor in a real <c>keywarden serve</c> in front of the sandbox: a decoy used reaches a webhook, signed, within a
/// second; a token whose owner asked for suspension is suspended when it bursts, refused, and served again once resumed.
/// </summary>
public sealed class MonitorServeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADecoyUsed_IsAnsweredAsRevoked_AndASignedCriticalWebhookArrivesWithinASecond()
    {
        await using var cli = await CliFixture.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var decoy = JsonDocument.Parse((await cli.RunAsync("token", "decoy", "--upstream", "news", "--name", "ci-variables", "--json")).Out).RootElement;
        var notify = await cli.RunAsync("notify", "add", "webhook", receiver.Url.AbsoluteUri, "--min-severity", "critical", "--json");
        var secret = JsonDocument.Parse(notify.Out).RootElement.GetProperty("signing_secret").GetString()!;

        var metricsPort = Loopback.FreePort();
        using (var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0", "--metrics-listen", $"http://127.0.0.1:{metricsPort}"))
        {
            using var client = Loopback.Client(await serve.ListeningAsync());
            using var metrics = Loopback.Client(new Uri($"http://127.0.0.1:{metricsPort}/"));
            using var request = Ping(decoy.GetProperty("token").GetString()!, "curl/8.5.0 (stolen-from-ci)");
            using var response = await client.SendAsync(request, Ct);
            var answered = Stopwatch.StartNew();
            var received = await receiver.WaitForAsync(1, Patience);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.InRange(answered.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            var webhook = Assert.Single(received);
            Assert.True(WebhookSignature.Verify(secret, webhook.Headers[WebhookSignature.Header], webhook.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            var body = JsonDocument.Parse(webhook.Body).RootElement;
            Assert.Equal(("decoy", "critical"), (body.GetProperty("detector").GetString(), body.GetProperty("severity").GetString()));
            Assert.Equal(decoy.GetProperty("id").GetString(), body.GetProperty("token_id").GetString());
            Assert.Equal("127.0.0.1", body.GetProperty("client").GetString());
            Assert.Contains("curl/8.5.0 (stolen-from-ci)", body.GetProperty("why").GetString(), StringComparison.Ordinal);
            Assert.Equal("client 127.0.0.1 refused for 15 min from its decoy use", body.GetProperty("action").GetString());
            var exposition = await metrics.GetStringAsync("metrics", Ct);
            Assert.Contains("keywarden_monitor_alerts_total{detector=\"decoy\",severity=\"critical\"} 1", exposition, StringComparison.Ordinal);
            Assert.Contains("keywarden_monitor_events_dropped_total 0", exposition, StringComparison.Ordinal);
            serve.Signal("TERM");
            await serve.WaitForExitAsync();
        }

        var alerts = JsonDocument.Parse((await cli.RunAsync("alerts", "list", "--json")).Out).RootElement.GetProperty("alerts");
        var alert = Assert.Single(alerts.EnumerateArray());
        var show = await cli.RunAsync("alerts", "show", alert.GetProperty("id").GetString()!);
        Assert.Contains("delivered", show.Out, StringComparison.Ordinal);
        Assert.True((await cli.RunAsync("audit", "verify")).ExitCode == 0);
    }

    [Fact]
    public async Task ATokenThatAskedForSuspension_IsSuspendedWhenItBursts_RefusedInMailchimpsShape_AndServedAgainOnceResumed()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var issued = JsonDocument.Parse((await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup-form", "--on-anomaly", "suspend", "--json")).Out).RootElement;
        var id = issued.GetProperty("id").GetString()!;
        var token = issued.GetProperty("token").GetString()!;
        await SeedHistoryAsync(cli, id);

        using var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0");
        using var client = Loopback.Client(await serve.ListeningAsync());
        for (var i = 0; i < 120 && !await SuspendedAsync(cli, id); i++)
        {
            using var burst = Ping(token, "signup-form/2.1");
            using var _ = await client.SendAsync(burst, Ct);
        }

        await Wait.UntilAsync(() => SuspendedAsync(cli, id), "the bursting token suspended", Patience);
        await Wait.UntilAsync(
            async () =>
            {
                using var again = Ping(token, "signup-form/2.1");
                using var refused = await client.SendAsync(again, Ct);
                return refused.StatusCode == HttpStatusCode.Forbidden;
            },
            "the suspended token refused",
            Patience);
        using (var probe = Ping(token, "signup-form/2.1"))
        using (var refused = await client.SendAsync(probe, Ct))
        {
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal(403, problem.GetProperty("status").GetInt32());
            Assert.Contains("suspended by Keywarden (anomaly)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var alerts = JsonDocument.Parse((await cli.RunAsync("alerts", "list", "--token", id, "--json")).Out).RootElement.GetProperty("alerts");
        Assert.True(alerts.EnumerateArray().Any(a => a.GetProperty("detector").GetString() == "volume"), alerts.ToString());
        var volume = Assert.Single(alerts.EnumerateArray(), a => a.GetProperty("detector").GetString() == "volume");
        Assert.Equal($"token {id} suspended", volume.GetProperty("action").GetString());
        Assert.False(volume.GetProperty("learning").GetBoolean());

        var resume = await cli.RunAsync("token", "resume", id);
        Assert.True(resume.ExitCode == 0, resume.All);
        await Wait.UntilAsync(
            async () =>
            {
                using var again = Ping(token, "signup-form/2.1");
                using var served = await client.SendAsync(again, Ct);
                return served.StatusCode == HttpStatusCode.OK;
            },
            "the resumed token served again",
            Patience);
        serve.Signal("TERM");
        await serve.WaitForExitAsync();
    }

    /// <summary>Two weeks of the token's quiet use (a few pings an hour from this machine), as the audit log would hold them.</summary>
    private static async Task SeedHistoryAsync(CliFixture cli, string tokenId)
    {
        await using var store = await SqliteKeywardenStore.OpenAsync(Path.Combine(cli.DataDirectory, "keywarden.db"), cancellationToken: Ct);
        var start = DateTimeOffset.UtcNow.AddDays(-14);
        var entries = new List<AuditEntry>();
        for (var hour = 0; hour < 14 * 24; hour++)
        {
            for (var n = 0; n < 2; n++)
            {
                entries.Add(new AuditEntry(
                    start.AddHours(hour).AddMinutes(7 + (n * 20)), AuditKind.Request, tokenId, null, null, "127.0.0.1", "GET", "/ping",
                    AuditDecision.Allow, "allow", 200, 12, 0, 40, UserAgent: "signup-form/2.1"));
            }
        }

        await store.AppendAsync(entries, Ct);
    }

    private static async Task<bool> SuspendedAsync(CliFixture cli, string id)
    {
        var show = await cli.RunAsync("token", "show", id, "--json");
        return JsonDocument.Parse(show.Out).RootElement.TryGetProperty("suspended", out var at) && at.ValueKind != JsonValueKind.Null;
    }

    private static HttpRequestMessage Ping(string token, string agent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/3.0/ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("app:" + token)));
        Assert.True(request.Headers.TryAddWithoutValidation("User-Agent", agent));
        return request;
    }
}
