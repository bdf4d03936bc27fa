using System.Text.Json;
using Keywarden.Core.Keys;
using Keywarden.Rotation.Sinks;

namespace Keywarden.Cli.Tests.Commands;

public sealed class RotateCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WholeRotation_FromTheCommandLine_StepsSubmitSinkStatusConfirm_NoKeyInAnyOutput()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Sinks = new FileSinkFactory();
        await cli.InitAsync();
        var (oldKeyId, oldKey) = await cli.AddSandboxUpstreamAsync("news");
        var sinkFile = Path.Combine(cli.DataDirectory, "app.key");
        var outputs = new List<CliRun>();

        var sinkAdd = await cli.RunAsync("sink", "add", "news", "file:" + sinkFile);
        var start = await cli.RunAsync("rotate", "start", "news", "--reason", "leak", "--note", "found in app.js:3");
        var account = JsonDocument.Parse((await cli.RunAsync("upstream", "list", "--json")).Out).RootElement.GetProperty("upstreams")[0].GetProperty("account_id").GetString()!;
        var (_, _, newKey) = await cli.CreateKeyAsync("marketing", accountId: account);
        var submit = await cli.PipeAsync(newKey + "\n", "rotate", "submit", "news");
        var early = await cli.RunAsync("rotate", "confirm", "news");
        var waiting = await cli.RunAsync("rotate", "status", "news", "--json");
        await cli.RevokeKeyAsync(oldKeyId);
        var confirm = await cli.RunAsync("rotate", "confirm", "news", "--wait", "--timeout", "1m", "--interval", "100ms");
        var done = await cli.RunAsync("rotate", "status", "--json");
        outputs.AddRange([sinkAdd, start, submit, early, waiting, confirm, done]);

        Assert.All(outputs, run => Assert.True(run.ExitCode is 0 or 1, run.Error));
        Assert.Contains("https://us21.admin.mailchimp.com/account/api/", start.Out, StringComparison.Ordinal);
        Assert.Matches(@"keywarden-news-\d{4}-\d\d-\d\d", start.Out);
        Assert.Equal(newKey, await File.ReadAllTextAsync(sinkFile, Ct));
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("Not revoked yet", early.Out, StringComparison.Ordinal);
        var waitingRow = JsonDocument.Parse(waiting.Out).RootElement.GetProperty("upstreams")[0];
        Assert.Equal("awaiting-revocation", waitingRow.GetProperty("rotation").GetProperty("state").GetString());
        Assert.Contains("still works", waitingRow.GetProperty("next_step").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, confirm.ExitCode);
        var doneRow = JsonDocument.Parse(done.Out).RootElement.GetProperty("upstreams")[0];
        var rotation = doneRow.GetProperty("rotation");
        Assert.Equal("revoked", rotation.GetProperty("state").GetString());
        Assert.Equal("leak", rotation.GetProperty("reason").GetString());
        Assert.Equal(
            ["requested", "awaiting-new-key", "verifying", "staged", "promoted", "awaiting-revocation", "revoked"],
            rotation.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("to").GetString()));
        Assert.Equal(newKey[..4], doneRow.GetProperty("key_prefix").GetString());
        Assert.Equal("ok", doneRow.GetProperty("key_age_status").GetString());
        var everything = string.Concat(outputs.Select(run => run.All)) + (await cli.RunAsync("audit", "tail", "-n", "50", "--json")).All;
        Assert.DoesNotContain(oldKey[4..], everything, StringComparison.Ordinal);
        Assert.DoesNotContain(newKey[4..], everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASinkThatFails_IsNamedAlikeBySubmitAbortAndStatus_Audited_AndClearedByResume()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var env = Path.Combine(cli.DataDirectory, "app.env");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old\n", Ct);
        Assert.Equal(0, (await cli.RunAsync("sink", "add", "news", $"env:{env}#MAILCHIMP_API_KEY")).ExitCode);
        var sinkId = JsonDocument.Parse((await cli.RunAsync("sink", "list", "--json")).Out).RootElement.GetProperty("sinks")[0].GetProperty("id").GetString()!;
        await cli.RunAsync("rotate", "start", "news");
        var account = JsonDocument.Parse((await cli.RunAsync("upstream", "list", "--json")).Out).RootElement.GetProperty("upstreams")[0].GetProperty("account_id").GetString()!;
        var (_, _, newKey) = await cli.CreateKeyAsync("marketing", accountId: account);
        File.Delete(env); // the application's file went away

        var submit = await cli.PipeAsync(newKey + "\n", "rotate", "submit", "news");
        var status = await cli.RunAsync("rotate", "status", "news");
        var statusJson = JsonDocument.Parse((await cli.RunAsync("rotate", "status", "news", "--json")).Out).RootElement.GetProperty("upstreams")[0];
        var abort = await cli.RunAsync("rotate", "abort", "news");
        var audit = await cli.RunAsync("audit", "tail", "-n", "20", "--json");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old\n", Ct);
        var resume = await cli.RunAsync("rotate", "resume", "news");
        var after = JsonDocument.Parse((await cli.RunAsync("rotate", "status", "news", "--json")).Out).RootElement.GetProperty("upstreams")[0];

        const string Advice = "do not revoke it yet. Fix the sink, then: keywarden rotate resume news";
        var failure = $"sink {sinkId} (env:{env}#MAILCHIMP_API_KEY) did not take the new key: {env} does not exist";
        Assert.Equal(2, submit.ExitCode);
        Assert.Contains(failure, submit.Error, StringComparison.Ordinal);
        Assert.Contains(Advice, submit.Error, StringComparison.Ordinal);
        Assert.Contains($"  problem: {failure}", status.Out, StringComparison.Ordinal);
        Assert.Contains(Advice, status.Out, StringComparison.Ordinal);
        Assert.Equal(failure, statusJson.GetProperty("rotation").GetProperty("problem").GetString());
        Assert.Equal(2, abort.ExitCode);
        Assert.Contains(failure, abort.Error, StringComparison.Ordinal);
        Assert.Contains(Advice, abort.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("only the old key's revocation is left", abort.Error, StringComparison.Ordinal);
        Assert.Contains(audit.Out.Split('\n'), l => l.Contains("\"rotation.sink-failed\"", StringComparison.Ordinal) && l.Contains(sinkId, StringComparison.Ordinal));
        Assert.True(resume.ExitCode == 0, resume.Error);
        Assert.Equal($"MAILCHIMP_API_KEY={newKey}\n", await File.ReadAllTextAsync(env, Ct));
        Assert.Equal("awaiting-revocation", after.GetProperty("rotation").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("rotation").GetProperty("problem").ValueKind);
        Assert.Equal(0, (await cli.RunAsync("audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task Start_Transactional_PointsToTheMandrillSettingsPage()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("receipts", "transactional");

        var start = await cli.RunAsync("rotate", "start", "receipts");

        Assert.Equal(0, start.ExitCode);
        Assert.Contains("https://mandrillapp.com/settings", start.Out, StringComparison.Ordinal);
        Assert.Contains("keywarden-receipts-", start.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_AfterPromotion_IsOneClearLineAndExit2_BeforePromotion_Works()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var account = JsonDocument.Parse((await cli.RunAsync("upstream", "list", "--json")).Out).RootElement.GetProperty("upstreams")[0].GetProperty("account_id").GetString()!;
        await cli.RunAsync("rotate", "start", "news");
        var early = await cli.RunAsync("rotate", "abort", "news");
        await cli.RunAsync("rotate", "start", "news");
        var (_, _, newKey) = await cli.CreateKeyAsync("marketing", accountId: account);
        await cli.PipeAsync(newKey, "rotate", "submit", "news");

        var late = await cli.RunAsync("rotate", "abort", "news");

        Assert.Equal(0, early.ExitCode);
        Assert.Equal(2, late.ExitCode);
        Assert.Single(late.Error.Trim().Split('\n'));
        Assert.Contains("already live", late.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithoutOpenRotation_OrWithTheOldKey_IsExit2()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, oldKey) = await cli.AddSandboxUpstreamAsync("news");

        var none = await cli.PipeAsync(oldKey, "rotate", "submit", "news");
        await cli.RunAsync("rotate", "start", "news");
        var same = await cli.PipeAsync(oldKey, "rotate", "submit", "news");

        Assert.Equal(2, none.ExitCode);
        Assert.Contains("keywarden rotate start news", none.Error, StringComparison.Ordinal);
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("key being replaced", same.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(oldKey[4..], none.All + same.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ReportsDueSoonAndOverdueAgainstMaxAge()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var maxAge = await cli.RunAsync("upstream", "max-age", "news", "30d");

        cli.Time = new ShiftedTime(TimeSpan.FromDays(20));
        var dueSoon = await cli.RunAsync("rotate", "status", "news", "--json");
        cli.Time = new ShiftedTime(TimeSpan.FromDays(31));
        var overdue = await cli.RunAsync("rotate", "status");

        Assert.Equal(0, maxAge.ExitCode);
        var row = JsonDocument.Parse(dueSoon.Out).RootElement.GetProperty("upstreams")[0];
        Assert.Equal("due_soon", row.GetProperty("key_age_status").GetString());
        Assert.Equal(30, row.GetProperty("max_key_age_days").GetDouble());
        Assert.Contains("overdue by 1 day", overdue.Out, StringComparison.Ordinal);
        Assert.Contains("keywarden rotate start news --reason scheduled", overdue.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinkAdd_RefusesAnUnknownSpec_AcceptsARealOne_ListAndRemoveWork()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");

        var env = Path.Combine(cli.DataDirectory, "app.env");
        await File.WriteAllTextAsync(env, "# the app's settings\nMAILCHIMP_API_KEY=old\n", Ct);
        var refused = await cli.RunAsync("sink", "add", "news", "ftp:/srv/app/key");
        var missingFile = await cli.RunAsync("sink", "add", "news", "env:" + Path.Combine(cli.DataDirectory, "none.env") + "#MAILCHIMP_API_KEY");
        var missingVariable = await cli.RunAsync("sink", "add", "news", "env:" + env + "#OTHER_KEY");
        var missingProgram = await cli.RunAsync("sink", "add", "news", "exec:keywarden-no-such-program --reload");
        var real = await cli.RunAsync("sink", "add", "news", "env:" + env + "#MAILCHIMP_API_KEY", "--json");
        cli.Sinks = new FileSinkFactory();
        var added = await cli.RunAsync("sink", "add", "news", "file:/tmp/x.key", "--json");
        var id = JsonDocument.Parse(added.Out).RootElement.GetProperty("id").GetString()!;
        var list = await cli.RunAsync("sink", "list", "--json");
        var removed = await cli.RunAsync("sink", "remove", id);
        var again = await cli.RunAsync("sink", "remove", id);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("unknown sink spec", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, missingFile.ExitCode);
        Assert.Contains("none.env does not exist", missingFile.Error, StringComparison.Ordinal);
        Assert.Equal(2, missingVariable.ExitCode);
        Assert.Contains("OTHER_KEY", missingVariable.Error, StringComparison.Ordinal);
        Assert.Equal(2, missingProgram.ExitCode);
        Assert.Contains("keywarden-no-such-program is not an executable file on PATH", missingProgram.Error, StringComparison.Ordinal);
        Assert.True(real.ExitCode == 0, real.Error);
        Assert.Equal("# the app's settings\nMAILCHIMP_API_KEY=old\n", await File.ReadAllTextAsync(env, Ct)); // checked, not touched
        var sinks = JsonDocument.Parse(list.Out).RootElement.GetProperty("sinks");
        Assert.Equal(2, sinks.GetArrayLength());
        Assert.All(sinks.EnumerateArray(), s => Assert.Equal("news", s.GetProperty("upstream").GetString()));
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(2, again.ExitCode);
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    /// <summary><c>file:PATH</c>: replaces PATH with the key (temp file and rename).</summary>
    private sealed class FileSinkFactory : IKeySinkFactory
    {
        public IKeySink Create(string spec) => spec.StartsWith("file:", StringComparison.Ordinal)
            ? new FileSink(spec[5..])
            : throw new SinkException($"sink kind not available: {spec}");

        private sealed class FileSink(string path) : IKeySink
        {
            public string Description => "file " + path;

            public async Task DeliverAsync(UpstreamKey newKey, CancellationToken cancellationToken = default)
            {
                await File.WriteAllTextAsync(path + ".tmp", newKey.Value, cancellationToken);
                File.Move(path + ".tmp", path, overwrite: true);
            }
        }
    }
}
