using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Policy;
using Keywarden.Gateway.Audit;
using Keywarden.Storage.Audit;
using Keywarden.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// The facts the usage monitor learns from, in every request's record: the client's User-Agent (redacted, at most 200
/// characters), and for Transactional sends the recipient count and the from-domain, refused sends included.
/// </summary>
public sealed class AuditFactsTests
{
    private const string MarketingAgent = "mailchimp-marketing-node/3.0.80 (linux; x64)";
    private const string TransactionalAgent = "mailchimp-transactional-node/1.0.59";

    // 500 characters, the cut at 200 falling inside a word (Kestrel takes header values in ASCII: the surrogate-pair case is Core's).
    private static readonly string LongAgent = "curl/8.5.0 " + string.Concat(Enumerable.Repeat("0123456789", 49)) + "abcdefghi";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryRequest_RecordsItsUserAgent_AndSends_TheirRecipientsAndFromDomain_RefusedOnesToo()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var news = await gw.TokenAsync("news");
        var mail = await gw.TokenAsync("mail", new TokenPolicy { FromDomains = ["example.com"] });
        var unlimited = await gw.TokenAsync("mail");

        var marketing = await gw.SendAsync(WithAgent(gw.Raw(HttpMethod.Get, "/3.0/ping", news), MarketingAgent));
        var sent = await gw.SendAsync(Send(gw, mail, "news@example.com", 3, TransactionalAgent));
        var refused = await gw.SendAsync(Send(gw, mail, "promo@other.example", 2, TransactionalAgent));
        var withoutLimits = await gw.SendAsync(Send(gw, unlimited, "a@Elsewhere.example", 1, TransactionalAgent));
        var notASend = await gw.SendAsync(WithAgent(Transactional(gw, new { key = mail }, "/api/1.0/users/ping.json"), TransactionalAgent));
        var longAgent = await gw.SendAsync(WithAgent(gw.Raw(HttpMethod.Get, "/3.0/ping", news), LongAgent));
        var noAgent = await gw.GetAsync("/3.0/ping", news);
        var anonymous = await gw.SendAsync(WithAgent(gw.Raw(HttpMethod.Get, "/3.0/ping"), "scanner/0.1"));
        var records = (await gw.ReadAuditAsync()).Where(r => r.Entry.Kind == AuditKind.Request).Select(r => r.Entry).ToList();

        Assert.Equal(HttpStatusCode.OK, marketing.Status);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        refused.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, withoutLimits.Status);
        Assert.Equal(HttpStatusCode.OK, notASend.Status);
        Assert.Equal(HttpStatusCode.OK, longAgent.Status);
        Assert.Equal(HttpStatusCode.OK, noAgent.Status);
        anonymous.AssertProblem(HttpStatusCode.Unauthorized, "API Key Missing");
        Assert.Equal(8, records.Count);
        Assert.Equal(
            [
                (null, null, MarketingAgent),
                (3, "example.com", TransactionalAgent),
                (2, "other.example", TransactionalAgent),
                (1, "Elsewhere.example", TransactionalAgent),
                (null, null, TransactionalAgent),
                ((int?)null, (string?)null, LongAgent[..AuditEntry.MaxUserAgentLength]),
                (null, null, null),
                (null, null, "scanner/0.1"),
            ],
            records.Select(r => (r.Recipients, r.FromDomain, r.UserAgent)));
        Assert.Equal((AuditDecision.Deny, "from-domain"), (records[2].Decision, records[2].Rule));
        Assert.Equal("credential", records[7].Rule);
        Assert.True(AuditChain.Verify(await gw.ReadAuditAsync()).Intact);
    }

    /// <summary>
    /// The canary for the new field: a client that puts its token (and keys) in its User-Agent. The request is refused as
    /// a token leak, and no secret reaches the spool file written before the answer, the database the spool is replayed
    /// into, or the records.
    /// </summary>
    [Fact]
    public async Task ATokenAndKeysInTheUserAgent_NeverReachTheSpoolTheDatabaseOrTheRecords()
    {
        var audit = new AuditQueueOptions { FlushInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(10), ShutdownTimeout = TimeSpan.FromMilliseconds(200) };
        await using var gw = await KeywardenHost.StartAsync(audit: audit);
        var token = await gw.TokenAsync("news");
        var secrets = new[] { token, gw.MarketingKey.Key, gw.TransactionalKey.Key };
        var spoolDirectory = Path.Combine(gw.DataDirectory, "audit-spool");
        await gw.ReadAuditAsync();

        // The store refuses, so the record stays in the spool where the answer left it; the gateway stops (closing the file).
        await gw.ExecuteSqlAsync("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;");
        var answer = await gw.SendAsync(WithAgent(gw.Raw(HttpMethod.Get, "/3.0/ping", token), $"app/1.0 ({token}; {gw.MarketingKey.Key}; {gw.TransactionalKey.Key})"));
        await gw.Gateway.DisposeAsync();
        var spool = Directory.GetFiles(spoolDirectory).Select(File.ReadAllBytes).ToList();
        await gw.ExecuteSqlAsync("DROP TRIGGER refuse_audit;");
        var replayed = await AuditSpool.RecoverAsync(spoolDirectory, gw.Store, Ct);
        var records = new List<AuditRecord>();
        await foreach (var record in gw.Store.ReadAllAsync(Ct))
        {
            records.Add(record);
        }

        var database = Directory.GetFiles(gw.DataDirectory, "keywarden.db*").Select(ReadShared).ToList();

        answer.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Equal(1, replayed);
        var leak = records[^1].Entry;
        Assert.Equal("token-leak", leak.Rule);
        Assert.Equal("app/1.0 ([redacted]; [redacted]; [redacted])", leak.UserAgent);
        Assert.True(AuditChain.Verify(records).Intact);
        Assert.Contains(spool, bytes => bytes.AsSpan().IndexOf("app/1.0 ([redacted]; [redacted]; [redacted])"u8) >= 0);
        foreach (var secret in secrets)
        {
            // The whole secret, and its random part without the prefix or datacenter.
            foreach (var form in new[] { secret, secret[3..^6] })
            {
                var needle = Encoding.UTF8.GetBytes(form);
                Assert.All(spool, bytes => Assert.True(bytes.AsSpan().IndexOf(needle) < 0, "a spool file holds a secret"));
                Assert.All(database, bytes => Assert.True(bytes.AsSpan().IndexOf(needle) < 0, "the database holds a secret"));
                Assert.DoesNotContain(form, leak.UserAgent!, StringComparison.Ordinal);
            }
        }
    }

    private static HttpRequestMessage Send(KeywardenHost gw, string token, string from, int recipients, string agent) =>
        WithAgent(Transactional(gw, new { key = token, message = PolicyEnforcementTests.Message(from, recipients) }, "/api/1.0/messages/send.json"), agent);

    private static HttpRequestMessage Transactional(KeywardenHost gw, object body, string path)
    {
        var request = gw.Raw(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body);
        return request;
    }

    private static HttpRequestMessage WithAgent(HttpRequestMessage request, string agent)
    {
        Assert.True(request.Headers.TryAddWithoutValidation("User-Agent", agent));
        return request;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
