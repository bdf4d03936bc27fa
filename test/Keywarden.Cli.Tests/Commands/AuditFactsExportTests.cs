using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>
/// The monitor's facts end to end: a real <c>keywarden serve</c> in front of the sandbox records them, and
/// <c>keywarden audit export</c> hands them on as <c>recipients</c>, <c>from_domain</c> and <c>user_agent</c>.
/// </summary>
public sealed class AuditFactsExportTests
{
    private const string MarketingAgent = "mailchimp-marketing-node/3.0.80";
    private const string TransactionalAgent = "mailchimp-transactional-node/1.0.59";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServedRequests_ExportWithTheirUserAgent_AndSendsWithRecipientsAndFromDomain()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, marketingKey) = await cli.AddSandboxUpstreamAsync("news");
        await cli.AddSandboxUpstreamAsync("mail", "transactional");
        var news = await IssueAsync(cli, "news");
        var mail = await IssueAsync(cli, "mail", "--from-domain", "example.com");
        var longAgent = "curl/8.5.0 " + new string('x', 489);

        using (var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0"))
        {
            using var client = Loopback.Client(await serve.ListeningAsync());
            await SendAsync(client, Marketing(news, MarketingAgent));
            await SendAsync(client, Transactional(mail, "news@example.com", 3));
            await SendAsync(client, Transactional(mail, "offers@other.example", 2));
            await SendAsync(client, Marketing(news, longAgent));
            await SendAsync(client, Marketing(news, $"leaky/1.0 ({news}) {marketingKey}"));
            serve.Signal("TERM");
            await serve.WaitForExitAsync();
        }

        var export = await cli.RunAsync("audit", "export");
        var verify = await cli.RunAsync("audit", "verify");

        Assert.True(export.ExitCode == 0, export.All);
        var requests = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.GetProperty("kind").GetString() == "request")
            .Select(r => (
                Status: r.GetProperty("decision").GetString() + " " + r.GetProperty("rule").GetString(),
                Recipients: r.GetProperty("recipients").ValueKind == JsonValueKind.Null ? (int?)null : r.GetProperty("recipients").GetInt32(),
                FromDomain: r.GetProperty("from_domain").GetString(),
                UserAgent: r.GetProperty("user_agent").GetString()))
            .ToList();
        Assert.Equal(
            [
                ("allow allow", null, null, MarketingAgent),
                ("allow allow", 3, "example.com", TransactionalAgent),
                ("deny from-domain", 2, "other.example", TransactionalAgent),
                ("allow allow", null, null, longAgent[..200]),
                ("deny token-leak", null, null, "leaky/1.0 ([redacted]) [redacted]"),
            ],
            requests);
        Assert.DoesNotContain(news[3..], export.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(marketingKey.Split('-')[0], export.Out, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.All);
    }

    private static async Task<string> IssueAsync(CliFixture cli, string upstream, params string[] options)
    {
        var run = await cli.RunAsync(["token", "issue", "--upstream", upstream, "--name", "app", "--json", .. options]);
        Assert.True(run.ExitCode == 0, run.All);
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("token").GetString()!;
    }

    private static HttpRequestMessage Marketing(string token, string agent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/3.0/ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("app:" + token)));
        Assert.True(request.Headers.TryAddWithoutValidation("User-Agent", agent));
        return request;
    }

    private static HttpRequestMessage Transactional(string token, string from, int recipients)
    {
        var message = new
        {
            subject = "hello",
            from_email = from,
            html = "<p>hi</p>",
            to = Enumerable.Range(0, recipients).Select(i => new { email = $"r{i}@example.net", type = "to" }).ToArray(),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/1.0/messages/send.json") { Content = JsonContent.Create(new { key = token, message }) };
        Assert.True(request.Headers.TryAddWithoutValidation("User-Agent", TransactionalAgent));
        return request;
    }

    private static async Task SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request, Ct);
        }
    }
}
