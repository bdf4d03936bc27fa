using System.Text;
using System.Text.Json;
using Keywarden.Core.Keys;
using Keywarden.Core.Tokens;
using Keywarden.Testing;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Canaries: after traffic of every kind (allowed, denied, malformed, misdirected secrets, upstream failures), neither a
/// real key nor a token, nor their base64 or hex forms, appears in the gateway's logs (every level, every category),
/// its audit log (the database file's bytes and the records read back) or its metrics.
/// </summary>
public sealed class CanaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoKeyOrToken_AppearsInLogsAuditOrMetrics()
    {
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var gw = await KeywardenHost.StartAsync(o => o.UpstreamTimeout = TimeSpan.FromSeconds(5), loggerFactory: loggerFactory);
        var deadKey = await gw.AddUpstreamAsync("down", UpstreamKind.Marketing, new Uri("http://127.0.0.1:9/"));
        var news = await gw.IssueAsync("news", new Core.Policy.TokenPolicy { Paths = ["/lists/**", "/ping"] });
        var mail = (await gw.IssueAsync("mail")).Token.Value;
        var down = (await gw.IssueAsync("down")).Token.Value;
        var revoked = await gw.IssueAsync("news");
        await gw.Vault.Tokens.RevokeAsync(revoked.Record.Id, Ct);
        await gw.Gateway.RefreshTokensAsync(Ct);
        var token = news.Token.Value;

        // Allowed, in every accepted presentation.
        await gw.GetAsync("/3.0/ping", token);
        var bearer = gw.Raw(HttpMethod.Get, "/3.0/lists?count=1", null);
        bearer.Headers.Authorization = new("Bearer", token + "-us21");
        await gw.SendAsync(bearer);
        await gw.PostTransactionalAsync("/api/1.3/users/info", new { key = mail });
        await gw.SendAsync(gw.Json(HttpMethod.Post, "/3.0/batches", token, new { operations = new[] { new { method = "GET", path = "/lists" } } }));
        // Denied, refused and misdirected secrets.
        await gw.GetAsync("/3.0/automations", token);
        await gw.GetAsync("/3.0/ping", revoked.Token.Value);
        await gw.GetAsync("/3.0/ping?apikey=" + token, token);
        await gw.GetAsync("/3.0/lists/" + token, token);
        await gw.GetAsync("/3.0/lists/%252e?key=" + gw.MarketingKey.Key, token);
        await gw.GetAsync("/3.0/ping", gw.MarketingKey.Key);
        await gw.GetAsync("/3.0/ping?apikey=" + gw.MarketingKey.Key, gw.MarketingKey.Key);
        await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = gw.TransactionalKey.Key });
        await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail, note = mail });
        await gw.PostTransactionalAsync("/api/1.0/users/ping.json?key=" + mail, new { key = mail });
        await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token });
        await RawHttp.SendAsync(gw.Gateway.BaseAddress, $"GET /3.0/lists\\{token} HTTP/1.1", ["Authorization: Bearer " + token]);
        await RawHttp.SendAsync(gw.Gateway.BaseAddress, $"GET /3.0/ping HTTP/1.1", ["Authorization: Bearer " + token, "Authorization: Bearer " + mail]);
        // Upstream failure: the forwarder's error is logged.
        await gw.GetAsync("/3.0/ping", down);
        var metrics = await gw.MetricsAsync();
        var records = await gw.ReadAuditAsync();

        var secrets = new Dictionary<string, string>
        {
            ["marketing key"] = gw.MarketingKey.Key,
            ["transactional key"] = gw.TransactionalKey.Key,
            ["unreachable upstream's key"] = deadKey,
            ["token"] = token,
            ["transactional token"] = mail,
            ["revoked token"] = revoked.Token.Value,
            ["token of the unreachable upstream"] = down,
        };
        var forms = secrets.SelectMany(s => FormsOf(s.Key, s.Value)).ToList();
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("Forwarding to upstream down failed", StringComparison.Ordinal));
        AssertAbsent("logs", logs.Text, forms);
        AssertAbsent("metrics", metrics, forms);
        AssertAbsent("audit records", JsonSerializer.Serialize(records), forms);
        Assert.Contains(records, r => r.Entry.Rule == "token-leak");
        foreach (var (file, bytes) in await ReadDatabaseFilesAsync(gw.DataDirectory))
        {
            AssertAbsent(file, Encoding.Latin1.GetString(bytes), forms);
        }
    }

    /// <summary>The secret as text, its part after a prefix, and as Basic credentials, base64 and hex.</summary>
    private static IEnumerable<(string What, string Text)> FormsOf(string name, string secret)
    {
        var body = secret.StartsWith(GatewayToken.Prefix, StringComparison.Ordinal)
            ? secret.Substring(GatewayToken.Prefix.Length, GatewayToken.RandomLength)
            : secret.StartsWith("md-", StringComparison.Ordinal) ? secret[3..] : secret.Split('-')[0];
        var bytes = Encoding.UTF8.GetBytes(secret);
        yield return (name, secret);
        yield return (name + " (secret part)", body);
        yield return (name + " in base64", Convert.ToBase64String(bytes).TrimEnd('='));
        yield return (name + " as a Basic password", Convert.ToBase64String(Encoding.UTF8.GetBytes("anystring:" + secret)).TrimEnd('='));
        yield return (name + " as the injected Basic header", Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden:" + secret)).TrimEnd('='));
        yield return (name + " in hex", Convert.ToHexStringLower(bytes));
        yield return (name + " in HEX", Convert.ToHexString(bytes));
        yield return (name + " URL-encoded", Uri.EscapeDataString(secret));
    }

    private static void AssertAbsent(string where, string haystack, IEnumerable<(string What, string Text)> forms)
    {
        foreach (var (what, text) in forms)
        {
            var at = haystack.IndexOf(text, StringComparison.Ordinal);
            if (at >= 0)
            {
                Assert.Fail($"{what} appears in the {where}: …{Context(haystack, at, text.Length)}…");
            }
        }
    }

    private static string Context(string text, int at, int length)
    {
        var start = Math.Max(0, at - 120);
        var end = Math.Min(text.Length, at + length + 40);
        return text[start..end].Replace(text.Substring(at, length), "<SECRET>", StringComparison.Ordinal);
    }

    /// <summary>
    /// The database and its side files (-wal, -shm, -journal) as they are now. SQLite deletes the write-ahead log when its
    /// last connection closes (its pages moved into the database): a file that vanishes while being listed or read
    /// starts the reading over, so no page is missed on its way from one file to the other.
    /// </summary>
    private static async Task<List<(string File, byte[] Bytes)>> ReadDatabaseFilesAsync(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            var files = new List<(string, byte[])>();
            try
            {
                foreach (var path in Directory.EnumerateFiles(directory, "keywarden.db*"))
                {
                    await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, Ct);
                    files.Add((Path.GetFileName(path), copy.ToArray()));
                }

                return files;
            }
            catch (FileNotFoundException) when (attempt < 10)
            {
            }
        }
    }
}
