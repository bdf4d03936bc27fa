using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>keywarden monitor replay</c> over real export files: the vault's own export, hand-written lines, stdin, bad input.</summary>
public sealed class MonitorCommandTests : CliTestBase
{
    private const string Key = "0123456789abcdef0123456789abcdef-us3"; // FAKE
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_TheVaultsOwnExport_ReadsEveryRecord_AndRaisesNothing()
    {
        await Cli.InitAsync();
        Assert.Equal(0, (await Cli.PipeAsync(Key, "upstream", "add", "news", "--kind", "marketing", "--no-verify")).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup")).ExitCode);
        var export = Path.Combine(Scratch, "audit.jsonl");
        Assert.Equal(0, (await Cli.RunAsync("audit", "export", "-o", export)).ExitCode);

        var text = await Cli.RunAsync("monitor", "replay", export);
        var json = await Cli.RunAsync("monitor", "replay", export, "--json");

        Assert.True(text.ExitCode == 0, text.All);
        Assert.Equal("No alerts in 2 records.", text.Out.Trim());
        var document = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(1, document.GetProperty("version").GetInt32());
        Assert.Equal(2, document.GetProperty("records").GetInt64());
        Assert.Equal(0, document.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task Replay_ADecoyUsedAndTokensGuessed_PrintsTheAlerts_AndExitsOne()
    {
        var lines = new List<string> { Line(Start, "tok_decoy0000000", "198.51.100.9", "deny", "decoy", userAgent: "curl/8.5.0") };
        for (var i = 0; i < 30; i++)
        {
            lines.Add(Line(Start.AddSeconds(10 + i), null, "192.0.2.66", "deny", "token-unknown", facts: i % 2 == 0));
        }

        var file = await WriteAsync(lines);
        var run = await Cli.RunAsync("monitor", "replay", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SEVERITY", run.Out, StringComparison.Ordinal);
        Assert.Contains("critical", run.Out, StringComparison.Ordinal);
        Assert.Contains("used from 198.51.100.9 with User-Agent \"curl/8.5.0\"", run.Out, StringComparison.Ordinal);
        Assert.Contains("denial-burst", run.Out, StringComparison.Ordinal);
        Assert.Contains("2 alerts from 31 records.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_Json_GivesEachAlertsFields_AndNullForAnAddressLevelToken()
    {
        var lines = Enumerable.Range(0, 30).Select(i => Line(Start.AddSeconds(i), null, "192.0.2.66", "deny", "token-unknown")).ToList();
        var file = await WriteAsync(lines);

        var run = await Cli.RunAsync("monitor", "replay", file, "--json");

        Assert.Equal(1, run.ExitCode);
        var alert = Assert.Single(JsonDocument.Parse(run.Out).RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Equal("denial-burst", alert.GetProperty("detector").GetString());
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("token_id").ValueKind);
        Assert.Equal("192.0.2.66", alert.GetProperty("client").GetString());
        Assert.Equal("2026-03-02T09:00:19.000Z", alert.GetProperty("first_time").GetString());
        Assert.Equal("2026-03-02T09:00:19.000Z", alert.GetProperty("last_time").GetString()); // one raise
        Assert.Equal(1, alert.GetProperty("count").GetInt32()); // raised once: the next level is critical, at 200
        Assert.False(alert.GetProperty("learning").GetBoolean());
        Assert.Contains("20 requests without a valid token from 192.0.2.66 refused", alert.GetProperty("why").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_FromStdin()
    {
        var run = await Cli.PipeAsync(Line(Start, "tok_decoy0000000", "198.51.100.9", "deny", "decoy") + "\n", "monitor", "replay", "-", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("decoy", JsonDocument.Parse(run.Out).RootElement.GetProperty("alerts")[0].GetProperty("detector").GetString());
    }

    [Fact]
    public async Task Replay_AMalformedLine_IsNamedByItsNumber_ExitTwo()
    {
        var file = await WriteAsync([Line(Start, "tok_0123456789ab", "203.0.113.1", "allow", "allow"), "", "{\"time\": 12"]);

        var run = await Cli.RunAsync("monitor", "replay", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: '{file}' line 3: not valid JSON (at byte 12)", run.Error.Trim());
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Replay_AFileThatIsNotThere_ExitTwo()
    {
        var run = await Cli.RunAsync("monitor", "replay", Path.Combine(Scratch, "nope.jsonl"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: cannot read '", run.Error, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(IEnumerable<string> lines)
    {
        var file = Path.Combine(Scratch, $"export-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(file, string.Join('\n', lines) + "\n", Ct);
        return file;
    }

    /// <summary>A request record as <c>audit export</c> writes it; with <paramref name="facts"/>, the newer fields too.</summary>
    private static string Line(DateTimeOffset time, string? token, string client, string decision, string rule, bool facts = true, string? userAgent = "app/1.0")
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", 1);
            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("kind", "request");
            json.WriteString("token_id", token);
            json.WriteString("upstream_id", token is null ? null : "up_1");
            json.WriteNull("key_id");
            json.WriteString("client", client);
            json.WriteString("method", "GET");
            json.WriteString("path", "/lists");
            json.WriteString("decision", decision);
            json.WriteString("rule", rule);
            json.WriteNull("upstream_status");
            json.WriteNumber("latency_ms", 0.3);
            json.WriteNumber("bytes_in", 0);
            json.WriteNumber("bytes_out", 0);
            json.WriteNull("actor");
            json.WriteNull("detail");
            json.WriteString("prev_hash", "00");
            json.WriteString("hash", "00");
            if (facts)
            {
                json.WriteNull("recipients");
                json.WriteNull("from_domain");
                json.WriteString("user_agent", userAgent);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
