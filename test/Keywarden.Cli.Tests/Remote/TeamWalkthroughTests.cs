using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keywarden.Cli.Tests.Operators;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Remote;

/// <summary>
/// The README's "Operators and remote mode" walkthrough, step by step, on a real <c>serve</c>: a second person is added
/// as operator, logs in from another shell with password and TOTP, issues a token, runs an app with <c>keywarden run</c>
/// through the server, and, made a viewer, is refused a master-key rotation.
/// </summary>
public sealed partial class TeamWalkthroughTests : CliTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASecondOperator_LogsIn_IssuesAToken_RunsAnApp_AndAsViewerIsRefusedAMasterKeyRotation()
    {
        // The admin, on the server.
        var init = await Cli.RunAsync("init");
        var (adminJoin, _) = await OperatorCommandTests.JoinAsync(Cli, OperatorCommandTests.SetupCode().Match(init.Out).Value);
        Assert.True(adminJoin.ExitCode == 0, adminJoin.All);
        await Cli.AddSandboxUpstreamAsync("main");
        var invite = await Cli.RunAsync("operator", "add", "bob", "--role", "operator");
        Assert.True(invite.ExitCode == 0, invite.All);
        var (bobJoin, bobSecret) = await OperatorCommandTests.JoinAsync(Cli, OperatorCommandTests.SetupCode().Match(invite.Out).Value, codeStep: -1);
        Assert.True(bobJoin.ExitCode == 0, bobJoin.All);
        await CompatScripts.EnsureInstalledAsync(Ct);
        using var serve = ServeProcess.Start(Cli, "serve", "--listen", "http://127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--no-monitor");
        var gateway = await serve.ListeningAsync();
        var banner = await serve.WaitForLineAsync(serve.Out, l => AdminBanner().IsMatch(l), "the admin API's address");
        var address = AdminBanner().Match(banner).Groups[1].Value;

        // Bob, from another shell: his own session file, and no vault of his own.
        var bobSession = Path.Combine(Scratch, "bob-session.json");
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = bobSession;
        var login = await Cli.PipeAsync($"bob\n{OperatorCommandTests.Password}\n{OperatorCommandTests.CodeAt(bobSecret, 0)}\n", "login", "--addr", address);
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var issue = await Cli.RunAsync("token", "issue", "--upstream", "main", "--name", "newsletter", "--path", "/ping", "--path", "/lists", "--json");
        var start = ServeProcess.StartInfo(Cli, ["run", "--token", "newsletter", "--gateway", gateway.ToString(), "--", "node", CompatScripts.Path("run-env.mjs")]);
        foreach (var (name, value) in CompatScripts.LoopbackEnvironment())
        {
            start.Environment[name] = value;
        }

        start.Environment["KEYWARDEN_ADDR"] = address;
        start.Environment["KEYWARDEN_SESSION_FILE"] = bobSession;
        start.Environment["KEYWARDEN_DATA"] = Path.Combine(Scratch, "bob-has-no-vault");
        start.Environment.Remove("KEYWARDEN_MASTER_KEY_FILE");
        using var run = ServeProcess.Start(start);
        await run.WaitForExitAsync();

        // The admin makes bob a viewer; bob's next command meets his new role.
        Cli.Environment.Remove("KEYWARDEN_ADDR");
        var demote = await Cli.RunAsync("operator", "role", "bob", "viewer");
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var rotate = await Cli.PipeAsync($"{OperatorCommandTests.CodeAt(bobSecret, 1)}\n", "master", "rotate");
        var list = await Cli.RunAsync("token", "list");

        Assert.True(login.ExitCode == 0, login.All);
        Assert.Contains("as bob (operator)", login.Out, StringComparison.Ordinal);
        Assert.True(issue.ExitCode == 0, issue.All);
        Assert.True(run.ExitCode == 0, $"stdout: {string.Join(" | ", run.Out)}; stderr: {string.Join(" | ", run.Error)}");
        var results = JsonNode.Parse(run.Out.Last(l => l.StartsWith('{')))!;
        Assert.True(results["ok"]!.GetValue<bool>(), string.Join(" | ", run.Out));
        Assert.Equal("Everything's Chimpy!", results["results"]!["ping"]!["health_status"]!.GetValue<string>());
        Assert.Contains(run.Error, l => l.StartsWith("keywarden run: revoked tok_", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(Scratch, "bob-has-no-vault")));
        Assert.True(demote.ExitCode == 0, demote.All);
        Assert.Equal((2, "error: this needs the admin role; you have viewer"), (rotate.ExitCode, rotate.Error.Trim()));
        Assert.True(list.ExitCode == 0, list.All); // a viewer still reads
        Assert.Contains("run: newsletter", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonNode.Parse(issue.Out)!["token"]!.GetValue<string>()[3..], string.Join("\n", run.Out.Concat(run.Error)), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^  Admin API: (http://[^ ]+/)v1/")]
    private static partial Regex AdminBanner();
}
