using System.CommandLine;
using System.Text.Json;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// The output people read, as a reviewer sees it in Snapshots/*.verified.txt: one snapshot per scenario, each command with
/// its output and exit code. Each test also checks the transcript for secrets before it is scrubbed.
/// </summary>
public sealed class CliOutputSnapshotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("help-root", new[] { "--help" })]
    [InlineData("help-token", new[] { "token", "--help" })]
    public async Task Help(string snapshot, string[] args)
    {
        await using var cli = await CliFixture.StartAsync();
        var shell = new CliTranscript(cli);

        await shell.RunAsync(args);

        // Usage names the running executable: in-process that is the test host; the installed apphost is 'keywarden'.
        Snapshot.Match(snapshot, shell.Text, Scrubber(cli).Word(RootCommand.ExecutableName, "keywarden"));
    }

    [Fact]
    public async Task Init_UpstreamAdd_UpstreamList()
    {
        await using var cli = await CliFixture.StartAsync();
        var shell = new CliTranscript(cli);
        var (_, _, key) = await cli.CreateKeyAsync("marketing");

        await shell.RunAsync("init", "--no-setup-code");
        await shell.PipeAsync(key + "\n", "news.key", "upstream", "add", "news", "--kind", "marketing", "--base-url", cli.Sandbox.BaseAddress.ToString());
        await shell.RunAsync("upstream", "list");

        AssertNoKeyShown(shell.Text, key);
        Snapshot.Match("setup", shell.Text, Scrubber(cli));
    }

    [Fact]
    public async Task TokenIssue_Revoke_RotateWithGrace_List()
    {
        await using var cli = await PrepareAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        cli.Time = clock; // a minute between commands: the list's order (newest first) never rests on a tie
        var shell = new CliTranscript(cli);

        var signup = await shell.RunAsync("token", "issue", "--upstream", "news", "--name", "signup");
        clock.Advance(TimeSpan.FromMinutes(1));
        var reports = await shell.RunAsync(
            "token", "issue", "--upstream", "news", "--name", "reports", "--read-only", "--path", "/lists/**", "--path", "/reports/**",
            "--rate", "600/min", "--expires", "30d");
        clock.Advance(TimeSpan.FromMinutes(1));
        var legacy = await shell.RunAsync("token", "issue", "--upstream", "news", "--name", "legacy-cron");
        clock.Advance(TimeSpan.FromMinutes(1));
        await shell.RunAsync("token", "revoke", Id(legacy));
        clock.Advance(TimeSpan.FromMinutes(1));
        var successor = await shell.RunAsync("token", "rotate", Id(signup), "--grace", "24h");
        clock.Advance(TimeSpan.FromMinutes(1));
        await shell.RunAsync("token", "list");

        // Each token is shown once, by the command that made it, and nowhere else.
        foreach (var run in new[] { signup, reports, legacy, successor })
        {
            var token = run.Out.Split('\n')[1];
            Assert.True(GatewayToken.IsValid(token), run.Out);
            Assert.Equal(2, shell.Text.Split(token).Length);
        }

        Snapshot.Match("tokens", shell.Text, Scrubber(cli));
    }

    [Fact]
    public async Task TokenDecoy_IssueOnAnomaly_Suspend_List_Show_Resume()
    {
        await using var cli = await PrepareAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        cli.Time = clock;
        var shell = new CliTranscript(cli);

        var decoy = await shell.RunAsync("token", "decoy", "--upstream", "news", "--name", "ci variables of billing");
        clock.Advance(TimeSpan.FromMinutes(1));
        var billing = await shell.RunAsync("token", "issue", "--upstream", "news", "--name", "billing", "--on-anomaly", "suspend");
        clock.Advance(TimeSpan.FromMinutes(1));
        await shell.RunAsync("token", "suspend", Id(billing), "--reason", "investigating alert al_7 (volume)");
        await shell.RunAsync("token", "suspend", Id(billing), "--reason", "again");
        clock.Advance(TimeSpan.FromMinutes(1));
        await shell.RunAsync("token", "list");
        await shell.RunAsync("token", "show", Id(billing));
        await shell.RunAsync("token", "show", Id(decoy));
        await shell.RunAsync("token", "resume", Id(billing));
        await shell.RunAsync("token", "resume", Id(billing));
        await shell.RunAsync("token", "suspend", Id(decoy), "--reason", "no");

        foreach (var run in new[] { decoy, billing })
        {
            var token = run.Out.Split('\n')[1];
            Assert.True(GatewayToken.IsValid(token), run.Out);
            Assert.Equal(2, shell.Text.Split(token).Length);
        }

        Snapshot.Match("decoys", shell.Text, Scrubber(cli));
    }

    [Fact]
    public async Task SinkAdd_List_RotateStartSubmitStatusConfirm()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (oldKeyId, oldKey) = await cli.AddSandboxUpstreamAsync("news");
        var env = Path.Combine(cli.DataDirectory, "app.env");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old\n", Ct);
        var shell = new CliTranscript(cli);

        await shell.RunAsync("sink", "add", "news", $"env:{env}#MAILCHIMP_API_KEY");
        await shell.RunAsync("sink", "list");
        await shell.RunAsync("rotate", "status");
        await shell.RunAsync("rotate", "start", "news", "--reason", "scheduled");
        var account = JsonDocument.Parse((await cli.RunAsync("upstream", "list", "--json")).Out).RootElement.GetProperty("upstreams")[0].GetProperty("account_id").GetString()!;
        var (_, _, newKey) = await cli.CreateKeyAsync("marketing", accountId: account);
        shell.Note("a new key created in Mailchimp as the steps say");
        await shell.PipeAsync(newKey + "\n", "new.key", "rotate", "submit", "news");
        await shell.RunAsync("rotate", "status", "news");
        await shell.RunAsync("rotate", "confirm", "news");
        await cli.RevokeKeyAsync(oldKeyId);
        shell.Note("the old key revoked in Mailchimp");
        await shell.RunAsync("rotate", "confirm", "news");
        await shell.RunAsync("rotate", "status");

        Assert.Equal($"MAILCHIMP_API_KEY={newKey}\n", await File.ReadAllTextAsync(env, Ct));
        AssertNoKeyShown(shell.Text, oldKey, newKey);
        Snapshot.Match("rotation", shell.Text, Scrubber(cli));
    }

    [Fact]
    public async Task AuditTail_AuditVerify()
    {
        await using var cli = await PrepareAsync();
        var issued = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup");
        Assert.Equal(0, (await cli.RunAsync("token", "revoke", Id(issued))).ExitCode);
        var shell = new CliTranscript(cli);

        await shell.RunAsync("audit", "tail");
        await shell.RunAsync("audit", "verify");

        Assert.DoesNotContain(issued.Out.Split('\n')[1], shell.Text, StringComparison.Ordinal);
        Snapshot.Match("audit", shell.Text, Scrubber(cli).Word(Environment.UserName, "<user>")); // the OS user is the actor
    }

    [Fact]
    public async Task AlertsList_Show_Ack_Resolve()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var t0 = AlertSeed.T0;
        var volume = AlertSeed.Raise("volume", AlertSeverity.Warning, "tok_7gq2m0x4k9c1", t0, "412 requests in the hour; usually 30 at this hour of the week (at most 60)");
        var ids = await AlertSeed.RaiseAsync(
            cli,
            volume,
            volume with { Time = t0.AddMinutes(20), Why = "530 requests in the hour; usually 30 at this hour of the week (at most 60)", Severity = AlertSeverity.Critical },
            AlertSeed.Raise("decoy", AlertSeverity.Critical, "tok_3k9dq2m8x7vw", t0.AddMinutes(5), "decoy token 'ci-secrets' used (curl/8.5.0); a decoy is never used legitimately", client: "198.51.100.23"),
            AlertSeed.Raise("new-network", AlertSeverity.Info, "tok_5m2kq8v0c3xz", t0.AddMinutes(10), "first use from 192.0.2.0/24; seen before only from 203.0.113.0/24", learning: true),
            AlertSeed.Raise("denials", AlertSeverity.Warning, null, t0.AddMinutes(15), "37 requests with unknown tokens in 5 minutes; usually none", client: "192.0.2.77"));
        var (alert, decoy) = (ids[0], ids[2]);
        await AlertSeed.SetActionAsync(cli, decoy, "client 198.51.100.23 blocked for 1 hour");
        var shell = new CliTranscript(cli);

        await shell.RunAsync("alerts", "list");
        await shell.RunAsync("alerts", "show", alert);
        await shell.RunAsync("alerts", "ack", alert, "--note", "billing export running late");
        await shell.RunAsync("alerts", "resolve", decoy, "--note", "red team exercise");
        await shell.RunAsync("alerts", "show", decoy);
        await shell.RunAsync("alerts", "list", "--state", "all", "--severity", "critical");
        await shell.RunAsync("alerts", "resolve", decoy);
        await shell.RunAsync("alerts", "show", "al_0000000000zz");
        await shell.RunAsync("alerts", "list", "--state", "closed");

        Snapshot.Match("alerts", shell.Text, Scrubber(cli).Word(Environment.UserName, "<user>"));
    }

    [Fact]
    public async Task Scan_TextReport_AStoredKeyAndAStrangersKey()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, stored) = await cli.AddSandboxUpstreamAsync("news");
        var (_, _, stranger) = await cli.CreateKeyAsync("marketing");
        var scan = Directory.CreateTempSubdirectory("kw-snapshot-scan-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(scan, "app"));
            await File.WriteAllTextAsync(Path.Combine(scan, "app", "settings.py"), $"# settings\nMAILCHIMP_KEY = '{stored}'\n", Ct);
            await File.WriteAllTextAsync(Path.Combine(scan, "notes.md"), $"old key, do not use: {stranger}\nexample: {new string('0', 32)}-us1\n", Ct);
            var shell = new CliTranscript(cli);

            await shell.RunAsync("scan", scan, "--no-rotate");

            AssertNoKeyShown(shell.Text, stored, stranger);
            Snapshot.Match("scan", shell.Text, Scrubber(cli).Path(scan, "<scan>"));
        }
        finally
        {
            Directory.Delete(scan, recursive: true);
        }
    }

    [Fact]
    public async Task Errors_ATypo_ADurationWithoutUnit_ATokenOnTheCommandLine()
    {
        await using var cli = await PrepareAsync();
        var token = GatewayToken.Generate().Value;
        var shell = new CliTranscript(cli);

        await shell.RunAsync("tokn", "list");
        await shell.RunAsync("upstream", "max-age", "news", "30");
        var revoke = await shell.RunAsync("token", "revoke", token);

        Assert.DoesNotContain(token, revoke.All, StringComparison.Ordinal);
        Snapshot.Match("errors", shell.Text, Scrubber(cli));
    }

    [Fact]
    public async Task OnAnEightyColumnTerminal_WithNoColor_TablesFitAndCarryNoEscapeCodes()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        cli.Time = clock;
        foreach (var name in new[] { "app", "cron" })
        {
            var issue = await cli.RunAsync(
                "token", "issue", "--upstream", "news", "--name", name, "--path", "/lists/*/members/**", "--path", "/campaigns/**",
                "--cidr", "203.0.113.0/24", "--rate", "600/min");
            Assert.Equal(0, issue.ExitCode);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        cli.Terminal = true;
        cli.TerminalWidth = 80;
        cli.Environment["NO_COLOR"] = "1";
        var shell = new CliTranscript(cli);

        await shell.RunAsync("upstream", "list"); // too wide for 80 columns: a block per row
        await shell.RunAsync("token", "list"); // ids whole, the policy cut

        Assert.DoesNotContain('\u001b', shell.Text);
        Assert.All(shell.Text.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Snapshot.Match("terminal-80-columns", shell.Text, Scrubber(cli));
    }

    private static SnapshotScrubber Scrubber(CliFixture cli) =>
        new SnapshotScrubber().Path(cli.DataDirectory, "<data>").Path(Path.GetTempPath(), "<tmp>");

    private static string Id(CliRun issued) => issued.Out.Split(' ')[2];

    private static void AssertNoKeyShown(string transcript, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.DoesNotContain(key[4..], transcript, StringComparison.Ordinal);
        }
    }

    private static async Task<CliFixture> PrepareAsync()
    {
        var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        return cli;
    }
}
