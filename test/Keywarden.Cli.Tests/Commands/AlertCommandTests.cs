using System.Text.Json;
using Keywarden.Core.Monitoring;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>keywarden alerts list|show|ack|resolve</c> over alerts seeded into the store.</summary>
public sealed class AlertCommandTests : CliTestBase
{
    private static readonly DateTimeOffset T0 = AlertSeed.T0;

    [Fact]
    public async Task List_ByDefault_ShowsOpenAndAcknowledgedAlerts_LastSeenFirst_NotResolvedOnes()
    {
        await Cli.InitAsync();
        var (volume, decoy, network) = await SeedThreeAsync();
        Assert.Equal(0, (await Cli.RunAsync("alerts", "ack", network)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("alerts", "resolve", volume)).ExitCode);

        var listed = await ListIdsAsync();
        var all = await ListIdsAsync("--state", "all");
        var resolved = await ListIdsAsync("--state", "resolved");

        Assert.Equal([network, decoy], listed);
        Assert.Equal([network, decoy, volume], all);
        Assert.Equal([volume], resolved);
    }

    [Fact]
    public async Task List_FiltersBySeverityTokenDetectorAndLimit()
    {
        await Cli.InitAsync();
        var (volume, decoy, network) = await SeedThreeAsync();

        Assert.Equal([network, decoy], await ListIdsAsync("--severity", "warning"));
        Assert.Equal([decoy], await ListIdsAsync("--severity", "critical"));
        Assert.Equal([network, volume], await ListIdsAsync("--token", "tok_7gq2m0x4k9c1"));
        Assert.Equal([volume], await ListIdsAsync("--detector", "volume"));
        Assert.Equal([network], await ListIdsAsync("--limit", "1"));
        Assert.Empty(await ListIdsAsync("--detector", "volume", "--severity", "critical"));
    }

    [Fact]
    public async Task ListJson_CarriesEveryFieldInSnakeCase()
    {
        await Cli.InitAsync();
        var raise = AlertSeed.Raise("volume", AlertSeverity.Warning, "tok_7gq2m0x4k9c1", T0, "412 requests in the hour; usually 30 (at most 60)") with { Learning = true };
        var id = (await AlertSeed.RaiseAsync(Cli, raise, raise with { Time = T0.AddMinutes(10), Why = "530 requests", Id = "al_unused00000" }))[0];

        var run = await Cli.RunAsync("alerts", "list", "--json");

        Assert.Equal(0, run.ExitCode);
        var document = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(1, document.GetProperty("version").GetInt32());
        var alert = Assert.Single(document.GetProperty("alerts").EnumerateArray());
        Assert.Equal(id, alert.GetProperty("id").GetString());
        Assert.Equal("volume", alert.GetProperty("detector").GetString());
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal("open", alert.GetProperty("state").GetString());
        Assert.Equal("tok_7gq2m0x4k9c1", alert.GetProperty("token_id").GetString());
        Assert.Equal("up_7gq2m0x4k9c1", alert.GetProperty("upstream_id").GetString());
        Assert.Equal("203.0.113.9", alert.GetProperty("client").GetString());
        Assert.Equal("2026-05-04T09:30:00.000Z", alert.GetProperty("first_time").GetString());
        Assert.Equal("2026-05-04T09:40:00.000Z", alert.GetProperty("last_time").GetString());
        Assert.Equal(2, alert.GetProperty("count").GetInt64());
        Assert.Equal("530 requests", alert.GetProperty("why").GetString());
        Assert.Equal("412 requests in the hour; usually 30 (at most 60)", alert.GetProperty("first_why").GetString());
        Assert.True(alert.GetProperty("learning").GetBoolean());
        Assert.Equal("volume|tok_7gq2m0x4k9c1", alert.GetProperty("dedup_key").GetString());
        foreach (var absent in new[] { "action", "acknowledged_by", "acknowledged_at", "acknowledge_note", "resolved_by", "resolved_at", "resolve_note" })
        {
            Assert.Equal(JsonValueKind.Null, alert.GetProperty(absent).ValueKind);
        }
    }

    [Fact]
    public async Task AckThenResolve_WithNotes_ShowInShowJson_AndInTheAuditLog()
    {
        await Cli.InitAsync();
        var id = (await AlertSeed.RaiseAsync(Cli, AlertSeed.Raise("decoy", AlertSeverity.Critical, "tok_7gq2m0x4k9c1", T0, "decoy token used")))[0];

        var ack = await Cli.RunAsync("alerts", "ack", id, "--note", "looking into it");
        var resolve = await Cli.RunAsync("alerts", "resolve", id, "--note", "planted by the red team", "--json");
        var shown = JsonDocument.Parse((await Cli.RunAsync("alerts", "show", id, "--json")).Out).RootElement;
        var audit = await Cli.RunAsync("audit", "tail", "--json");

        Assert.Equal(0, ack.ExitCode);
        Assert.Contains($"Acknowledged {id}", ack.Out, StringComparison.Ordinal);
        Assert.Equal(0, resolve.ExitCode);
        Assert.Equal("resolved", JsonDocument.Parse(resolve.Out).RootElement.GetProperty("state").GetString());
        Assert.Equal("resolved", shown.GetProperty("state").GetString());
        Assert.Equal("looking into it", shown.GetProperty("acknowledge_note").GetString());
        Assert.Equal("planted by the red team", shown.GetProperty("resolve_note").GetString());
        Assert.Equal(Environment.UserName, shown.GetProperty("resolved_by").GetString());
        var actions = audit.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(actions, r => r.GetProperty("method").GetString() == "alert.raise" && r.GetProperty("path").GetString() == id);
        Assert.Contains(actions, r => r.GetProperty("method").GetString() == "alert.ack" && r.GetProperty("detail").GetString() == "critical decoy: looking into it");
        Assert.Contains(actions, r => r.GetProperty("method").GetString() == "alert.resolve");
    }

    [Fact]
    public async Task ShowAckResolve_OfAnUnknownId_SayNoSuchAlert_AndExitTwo()
    {
        await Cli.InitAsync();

        foreach (var verb in new[] { "show", "ack", "resolve" })
        {
            var run = await Cli.RunAsync("alerts", verb, "al_0000000000zz");

            Assert.Equal(2, run.ExitCode);
            Assert.Equal("error: no alert with id 'al_0000000000zz' (see 'keywarden alerts list --state all')\n", run.Error.ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public async Task AckOrResolve_OfAResolvedAlert_SaysSo_AndExitsTwo()
    {
        await Cli.InitAsync();
        var id = (await AlertSeed.RaiseAsync(Cli, AlertSeed.Raise("volume", AlertSeverity.Warning, "tok_7gq2m0x4k9c1", T0, "412 requests")))[0];
        Assert.Equal(0, (await Cli.RunAsync("alerts", "ack", id)).ExitCode);

        var ackAgain = await Cli.RunAsync("alerts", "ack", id);
        Assert.Equal(0, (await Cli.RunAsync("alerts", "resolve", id)).ExitCode);
        var resolveAgain = await Cli.RunAsync("alerts", "resolve", id);

        Assert.Equal(2, ackAgain.ExitCode);
        Assert.Contains($"already acknowledged; when done: keywarden alerts resolve {id}", ackAgain.Error, StringComparison.Ordinal);
        Assert.Equal(2, resolveAgain.ExitCode);
        Assert.Contains($"alert '{id}' is already resolved", resolveAgain.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--state", "closed", "closed")]
    [InlineData("--severity", "high", "high")]
    [InlineData("--limit", "0", "--limit must be 1 to 1000")]
    [InlineData("--token", "billing", "--token: it takes a token's id (tok_…")]
    public async Task List_WithABadFilter_SaysWhat_AndExitsTwo(string option, string value, string expected)
    {
        await Cli.InitAsync();

        var run = await Cli.RunAsync("alerts", "list", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task List_WithNoAlerts_SaysSo()
    {
        await Cli.InitAsync();

        var run = await Cli.RunAsync("alerts", "list");
        var filtered = await Cli.RunAsync("alerts", "list", "--state", "resolved");

        Assert.Equal((0, "No open or acknowledged alerts.\n"), (run.ExitCode, run.Out.ReplaceLineEndings("\n")));
        Assert.Equal((0, "No alerts match.\n"), (filtered.ExitCode, filtered.Out.ReplaceLineEndings("\n")));
    }

    /// <summary>A warning about a token, a critical decoy alert about another, and a newer warning about the first token.</summary>
    private async Task<(string Volume, string Decoy, string Network)> SeedThreeAsync()
    {
        var ids = await AlertSeed.RaiseAsync(
            Cli,
            AlertSeed.Raise("volume", AlertSeverity.Info, "tok_7gq2m0x4k9c1", T0, "95 requests in the hour; usually 30"),
            AlertSeed.Raise("decoy", AlertSeverity.Critical, "tok_3k9dq2m8x7vw", T0.AddMinutes(1), "decoy token used"),
            AlertSeed.Raise("new-network", AlertSeverity.Warning, "tok_7gq2m0x4k9c1", T0.AddMinutes(2), "first use from 198.51.100.0/24"));
        return (ids[0], ids[1], ids[2]);
    }

    private async Task<IReadOnlyList<string>> ListIdsAsync(params string[] options)
    {
        var run = await Cli.RunAsync(["alerts", "list", "--json", .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList();
    }
}
