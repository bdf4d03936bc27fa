using System.Text.Json;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>token decoy</c>, <c>token suspend|resume|show</c> and <c>token issue --on-anomaly</c>: their JSON and their refusals.</summary>
public sealed class TokenStateCommandTests
{
    [Fact]
    public async Task TokenDecoy_Json_PrintsARealFormatTokenOnce_AndListMarksItADecoyWithoutShowingIt()
    {
        await using var cli = await PrepareAsync();

        var run = await cli.RunAsync("token", "decoy", "--upstream", "news", "--name", "wiki", "--json");
        var issued = JsonDocument.Parse(run.Out).RootElement;
        var token = issued.GetProperty("token").GetString()!;
        var list = await cli.RunAsync("token", "list", "--json");
        var table = await cli.RunAsync("token", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.True(GatewayToken.IsValid(token));
        Assert.True(issued.GetProperty("decoy").GetBoolean());
        Assert.DoesNotContain(token, list.All + table.All, StringComparison.Ordinal);
        var row = JsonDocument.Parse(list.Out).RootElement.GetProperty("tokens")[0];
        Assert.Equal(("decoy", true), (row.GetProperty("state").GetString(), row.GetProperty("decoy").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("suspended").ValueKind);
    }

    [Fact]
    public async Task AuditVerify_AfterADecoyASuspensionAndAResumption_IsIntact_WithTheirRecords()
    {
        await using var cli = await PrepareAsync();
        await cli.RunAsync("token", "decoy", "--upstream", "news", "--name", "wiki");
        var id = await IssueAsync(cli);
        await cli.RunAsync("token", "suspend", id, "--reason", "looking into it");
        await cli.RunAsync("token", "resume", id);

        var verify = await cli.RunAsync("audit", "verify");
        var tail = await cli.RunAsync("audit", "tail", "-n", "3");

        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.Contains("intact", verify.Out, StringComparison.Ordinal);
        Assert.Contains("token.suspend", tail.Out, StringComparison.Ordinal);
        Assert.Contains("token.resume", tail.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenDecoy_FieldToken_PrintsOnlyTheToken_ForAScriptThatPlantsIt()
    {
        await using var cli = await PrepareAsync();

        var run = await cli.RunAsync("token", "decoy", "--upstream", "news", "--name", "wiki", "--field", "token");

        Assert.Equal(0, run.ExitCode);
        Assert.True(GatewayToken.IsValid(run.Out.Trim()), run.Out);
        Assert.Equal("decoy", JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task TokenSuspend_ThenResume_ShowTheSuspensionInListAndShowJson_ThenClearIt()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli, "--on-anomaly", "suspend");

        var suspend = await cli.RunAsync("token", "suspend", id, "--reason", "alert al_1 (volume)", "--json");
        var listed = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens")[0];
        var shown = JsonDocument.Parse((await cli.RunAsync("token", "show", id, "--json")).Out).RootElement;
        var resume = await cli.RunAsync("token", "resume", id, "--json");
        var after = JsonDocument.Parse((await cli.RunAsync("token", "show", id, "--json")).Out).RootElement;

        Assert.Equal(0, suspend.ExitCode);
        Assert.True(JsonDocument.Parse(suspend.Out).RootElement.GetProperty("changed").GetBoolean());
        foreach (var row in new[] { listed, shown })
        {
            Assert.Equal("suspended", row.GetProperty("state").GetString());
            Assert.Equal("alert al_1 (volume)", row.GetProperty("suspended").GetProperty("reason").GetString());
            Assert.Equal("suspend", row.GetProperty("on_anomaly").GetString());
        }

        Assert.True(JsonDocument.Parse(resume.Out).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal("active", after.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("suspended").ValueKind);
    }

    [Fact]
    public async Task TokenIssue_WithoutOnAnomaly_FollowsTheServersDefault()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);

        var shown = JsonDocument.Parse((await cli.RunAsync("token", "show", id, "--json")).Out).RootElement;
        var text = await cli.RunAsync("token", "show", id);

        Assert.Equal(JsonValueKind.Null, shown.GetProperty("on_anomaly").ValueKind);
        Assert.Contains("on anomaly: the server's default", text.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", "issue", "--upstream", "news", "--name", "a", "--on-anomaly", "panic")]
    [InlineData("token", "decoy", "--upstream", "news")]
    [InlineData("token", "decoy", "--upstream", "nope", "--name", "wiki")]
    [InlineData("token", "suspend", "tok_000000000000")]
    [InlineData("token", "suspend", "tok_000000000000", "--reason", "x")]
    [InlineData("token", "suspend", "nonsense", "--reason", "x")]
    [InlineData("token", "resume", "tok_000000000000")]
    [InlineData("token", "show", "tok_000000000000")]
    public async Task BadInput_IsAClearErrorWithExitCodeTwo_AndIssuesNothing(params string[] args)
    {
        await using var cli = await PrepareAsync();

        var run = await cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("No tokens", (await cli.RunAsync("token", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenSuspend_WithAnEmptyReason_OrOfARevokedToken_IsRefusedWithExitCodeTwo()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);

        var empty = await cli.RunAsync("token", "suspend", id, "--reason", " ");
        await cli.RunAsync("token", "revoke", id);
        var revoked = await cli.RunAsync("token", "suspend", id, "--reason", "x");

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("reason", empty.Error, StringComparison.Ordinal);
        Assert.Equal(2, revoked.ExitCode);
        Assert.Contains("revoked", revoked.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenOnAnomaly_ChangesWhatAnAlertDoes_Audited_AndADecoyIsRefused()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);
        var decoy = JsonDocument.Parse((await cli.RunAsync("token", "decoy", "--upstream", "news", "--name", "wiki", "--json")).Out).RootElement.GetProperty("id").GetString()!;

        var set = await cli.RunAsync("token", "on-anomaly", id, "suspend");
        var again = await cli.RunAsync("token", "on-anomaly", id, "suspend", "--json");
        var shown = JsonDocument.Parse((await cli.RunAsync("token", "show", id, "--json")).Out).RootElement;
        var reset = await cli.RunAsync("token", "on-anomaly", id, "default", "--json");
        var refused = await cli.RunAsync("token", "on-anomaly", decoy, "alert");
        var wrong = await cli.RunAsync("token", "on-anomaly", id, "page-me");
        var tail = await cli.RunAsync("audit", "tail", "--json");

        Assert.Equal(0, set.ExitCode);
        Assert.Contains($"An anomaly alert about {id} now does: suspend.", set.Out, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(again.Out).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal("suspend", shown.GetProperty("on_anomaly").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(reset.Out).RootElement.GetProperty("on_anomaly").ValueKind);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("decoy", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Equal(2, tail.Out.Split("token.on-anomaly").Length - 1);
    }

    private static async Task<string> IssueAsync(CliFixture cli, params string[] more)
    {
        var run = await cli.RunAsync(["token", "issue", "--upstream", "news", "--name", "billing", "--json", .. more]);
        Assert.Equal(0, run.ExitCode);
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<CliFixture> PrepareAsync()
    {
        var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        return cli;
    }
}
