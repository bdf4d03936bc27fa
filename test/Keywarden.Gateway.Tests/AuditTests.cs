using System.Diagnostics;
using System.Globalization;
using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Gateway.Audit;
using Keywarden.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests;

/// <summary>One hash-chained record per request with the rule that decided it; audit or refuse when records cannot be written.</summary>
public sealed class AuditTests
{
    private const string FailingAudit = "CREATE TRIGGER simulated_disk_full BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;";
    private const string HealedAudit = "DROP TRIGGER simulated_disk_full;";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditQueueOptions QuickRetries => new() { FlushInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task AllowedAndDeniedRequests_AreAuditedWithTheDecidingRule_InAnIntactChain()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var news = await gw.IssueAsync("news", new Core.Policy.TokenPolicy { Paths = ["/lists/**"], ReadOnly = true });
        var mail = await gw.IssueAsync("mail");
        var token = news.Token.Value;
        var keys = (await gw.Vault.Upstreams.ListAsync(Ct)).ToDictionary(u => u.Upstream.Name, u => u.CurrentKey!.Id);

        var allowed = await gw.GetAsync("/3.0/lists/", token);
        var outsidePaths = await gw.GetAsync("/3.0/lists/../automations", token);
        var write = gw.Raw(HttpMethod.Post, "/3.0/lists/abc", token);
        write.Headers.TryAddWithoutValidation("X-HTTP-Method-Override", "DELETE");
        var readOnly = await gw.SendAsync(write);
        var unknown = await gw.GetAsync("/3.0/ping", Core.Tokens.GatewayToken.Generate().Value);
        var ambiguous = await gw.GetAsync("/3.0/lists/%252e%252e", token);
        var mandrill = await gw.PostTransactionalAsync("/api/1.3/Users/Ping", new { key = mail.Token.Value });
        var records = await gw.ReadAuditAsync();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.OK],
            new[] { allowed.Status, outsidePaths.Status, readOnly.Status, unknown.Status, ambiguous.Status, mandrill.Status });
        var verification = AuditChain.Verify(records);
        Assert.True(verification.Intact, verification.Problem);
        var requests = records.Select(r => r.Entry).Where(e => e.Kind == AuditKind.Request).ToList();
        Assert.Equal(6, requests.Count);
        Assert.Equal(
            [
                ("GET", "/lists", AuditDecision.Allow, "allow", (int?)200),
                ("GET", "/automations", AuditDecision.Deny, "path", null),
                ("DELETE", "/lists/abc", AuditDecision.Deny, "read-only", null),
                ("GET", "/ping", AuditDecision.Deny, "token-unknown", null),
                ("GET", "/3.0/lists/%2e%2e", AuditDecision.Deny, "canonical", null),
                ("POST", "users/ping", AuditDecision.Allow, "allow", 200),
            ],
            requests.Select(e => (e.Method, e.Path, e.Decision, e.Rule, e.UpstreamStatus)));
        Assert.All(requests, e => Assert.Equal("127.0.0.1", e.ClientAddress));
        Assert.All(requests.Take(3), e => Assert.Equal((news.Record.Id, keys["news"]), (e.TokenId, e.KeyId)));
        Assert.Null(requests[3].TokenId);
        Assert.Null(requests[4].TokenId); // refused before the credential was read
        Assert.Equal((mail.Record.Id, keys["mail"]), (requests[5].TokenId, requests[5].KeyId));
        Assert.Equal(2, gw.Received.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WhenAuditAppendsFail_TheGatewayAnswers503_AndReadyzSaysSo_UntilTheStoreRecovers(bool fsync)
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.AuditFsync = fsync, audit: QuickRetries);
        var news = await gw.TokenAsync("news");
        var mail = await gw.TokenAsync("mail");
        await gw.ReadAuditAsync();

        await gw.ExecuteSqlAsync(FailingAudit);
        // Audit still healthy: admitted and forwarded. Spooled, its record is safe and the answer goes; waiting for the
        // store (--audit-fsync), the record cannot be made durable and the answer is withheld (the connection aborted).
        // Either way the record is written when the store recovers.
        var lastServed = await Record.ExceptionAsync(() => gw.GetAsync("/3.0/ping", news));
        await WaitForReadinessAsync(gw, HttpStatusCode.ServiceUnavailable);
        using var readyResponse = await gw.Client.GetAsync("/readyz", Ct);
        var ready = await readyResponse.Content.ReadAsStringAsync(Ct);
        var healthGauge = await gw.GaugeAsync("keywarden_audit_healthy");
        var refused = await gw.GetAsync("/3.0/ping", news);
        var refusedMandrill = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail });
        var receivedDuringOutage = gw.Received.Count;
        await gw.ExecuteSqlAsync(HealedAudit);
        await WaitForReadinessAsync(gw, HttpStatusCode.OK);
        var servedAgain = await gw.GetAsync("/3.0/ping", news);
        var records = await gw.ReadAuditAsync();

        if (fsync)
        {
            Assert.IsType<HttpRequestException>(lastServed);
        }
        else
        {
            Assert.Null(lastServed);
        }

        Assert.Contains("audit failing: refusing traffic", ready, StringComparison.Ordinal);
        Assert.Equal(0, healthGauge);
        refused.AssertProblem(HttpStatusCode.ServiceUnavailable, "Service Unavailable");
        Assert.Equal("5", refused.Headers["Retry-After"]);
        refusedMandrill.AssertMandrillError(HttpStatusCode.ServiceUnavailable, "GeneralError");
        Assert.Equal(1, receivedDuringOutage);
        Assert.Equal(HttpStatusCode.OK, servedAgain.Status);
        Assert.Equal(2, gw.Received.Count);
        Assert.True(AuditChain.Verify(records).Intact);
        Assert.Equal(2, records.Count(r => r.Entry is { Kind: AuditKind.Request, Decision: AuditDecision.Allow }));
    }

    [Fact]
    public async Task WhileAuditIsDown_RefusalsAreLoggedAtMostOncePerSecond_WithTheCountHeldBack()
    {
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var gw = await KeywardenHost.StartAsync(loggerFactory: loggerFactory, audit: QuickRetries);
        var news = await gw.TokenAsync("news");
        await gw.ReadAuditAsync();

        await gw.ExecuteSqlAsync(FailingAudit);
        var refused = (await gw.GetAsync("/3.0/ping", news)).Status == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        await WaitForReadinessAsync(gw, HttpStatusCode.ServiceUnavailable);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 40; i++)
        {
            (await gw.GetAsync("/3.0/ping", news)).AssertProblem(HttpStatusCode.ServiceUnavailable, "Service Unavailable");
            refused++;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // One more refusal after the throttle's interval: its line reports those held back since the last line.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);
        (await gw.GetAsync("/3.0/ping", news)).AssertProblem(HttpStatusCode.ServiceUnavailable, "Service Unavailable");
        refused++;
        await gw.ExecuteSqlAsync(HealedAudit);
        var lines = logs.Lines.Where(l => l.Contains("[8005]", StringComparison.Ordinal)).ToList();
        Assert.All(lines, l => Assert.Contains("the store is failing (StorageException)", l, StringComparison.Ordinal));

        // One line per started second at most (not one per request), and together they account for every refusal.
        Assert.InRange(lines.Count, 2, (int)Math.Ceiling(seconds) + 2);
        var held = lines.Sum(l => long.Parse(l[(l.LastIndexOf("Held=", StringComparison.Ordinal) + 5)..].Split(' ')[0], CultureInfo.InvariantCulture));
        Assert.Equal(refused, lines.Count + held);
    }

    [Fact]
    public async Task AQueueFullBecauseTheStoreIsHeld_IsRefusedWith503_AndTheLogSaysWhyWithTheDepth()
    {
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var gw = await KeywardenHost.StartAsync(loggerFactory: loggerFactory, audit: new AuditQueueOptions { Capacity = 2, FlushInterval = TimeSpan.Zero });
        var news = await gw.TokenAsync("news");
        await gw.GetAsync("/3.0/ping", news);
        await gw.ReadAuditAsync(); // written
        Assert.True(await gw.GaugeAsync("keywarden_audit_last_commit_seconds") > 0);

        // Another writer holds the database's write lock (a long admin transaction, a backup): appends wait for it.
        await using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gw.SqlitePath, Pooling = false }.ToString());
        await holder.OpenAsync(Ct);
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(Ct);
        }

        var held = new[] { gw.GetAsync("/3.0/ping", news), gw.GetAsync("/3.0/ping", news) };
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_audit_queue_depth") >= 2, "two records wait for the lock");
        var refused = await gw.GetAsync("/3.0/ping", news);
        await using (var commit = holder.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync(Ct);
        }

        refused.AssertProblem(HttpStatusCode.ServiceUnavailable, "Service Unavailable");
        Assert.All(await Task.WhenAll(held), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var line = Assert.Single(logs.Lines, l => l.Contains("[8005]", StringComparison.Ordinal));
        Assert.Contains("Queue depth 2", line, StringComparison.Ordinal);
        Assert.Contains("the writer has been inside one append for", line, StringComparison.Ordinal);
        Assert.Contains("for the write lock (another writer holds it)", line, StringComparison.Ordinal);
        Assert.Contains("commit and fsync", line, StringComparison.Ordinal); // the last commit's phases
    }

    [Fact]
    public async Task WithAuditFailOpen_TheGatewayServesThroughTheOutage_AndTheChoiceIsItselfAudited()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.AuditFailOpen = true, audit: QuickRetries);
        var news = await gw.TokenAsync("news");
        await gw.ReadAuditAsync();

        await gw.ExecuteSqlAsync(FailingAudit);
        var first = await gw.GetAsync("/3.0/ping", news);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_audit_healthy") == 0, "the audit writer fails");
        var ready = await gw.Client.GetAsync("/readyz", Ct);
        var readyText = await ready.Content.ReadAsStringAsync(Ct);
        var duringOutage = await gw.GetAsync("/3.0/ping", news);
        await gw.ExecuteSqlAsync(HealedAudit);
        var records = await gw.ReadAuditAsync();

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, duringOutage.Status);
        Assert.Equal(2, gw.Received.Count);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // serving is what the operator chose; readiness must not undo it
        Assert.Contains("fail-open", readyText, StringComparison.Ordinal);
        Assert.True(AuditChain.Verify(records).Intact);
        Assert.Contains(records, r => r.Entry is { Kind: AuditKind.Admin, Method: "audit.fail-open" });
        Assert.Equal(2, records.Count(r => r.Entry is { Kind: AuditKind.Request, Decision: AuditDecision.Allow }));
    }

    [Fact]
    public async Task AuditFailOpenOfTheGateway_AlsoHoldsForTheQueue_WhenQueueSettingsAreGiven()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.AuditFailOpen = true, audit: QuickRetries);

        var records = await gw.ReadAuditAsync();

        Assert.Contains(records, r => r.Entry is { Kind: AuditKind.Admin, Method: "audit.fail-open" });
    }

    private static Task WaitForReadinessAsync(KeywardenHost gw, HttpStatusCode status) =>
        Wait.UntilAsync(
            async () =>
            {
                using var response = await gw.Client.GetAsync("/readyz", Ct);
                return response.StatusCode == status;
            },
            $"/readyz answers {(int)status}");
}
