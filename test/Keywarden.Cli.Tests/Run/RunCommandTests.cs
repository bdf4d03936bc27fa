using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Run;

/// <summary>
/// <c>keywarden run</c> as a real process in front of a real <c>keywarden serve</c> and the sandbox, running
/// test/compat/run-env.mjs: the official npm clients configured from nothing but the environment it is given.
/// </summary>
public sealed class RunCommandTests : CliTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheOfficialMarketingClient_CallsTheGateway_FromTheEnvironment_ItsExitCodeIsKeywardens_AndTheTokenIsRevokedAfter()
    {
        using var serve = await ServeAsync("marketing");
        var tokenFile = Path.Combine(Scratch, "token");

        using var run = Run(serve, new() { ["RUN_ENV_EXIT"] = "7", ["RUN_ENV_TOKEN_FILE"] = tokenFile }, "--upstream", "news");
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 7, Describe(run));
        var output = LastJson(run);
        Assert.True(output["ok"]!.GetValue<bool>(), Describe(run));
        var results = output["results"]!;
        Assert.Equal("Everything's Chimpy!", results["ping"]!["health_status"]!.GetValue<string>());
        Assert.Equal(0, results["lists"]!.GetValue<int>());
        Assert.Equal("us21", results["server"]!.GetValue<string>());
        // The master key's file and the data directory were in keywarden's environment: none of it reaches the command.
        Assert.Equal(["KEYWARDEN_GATEWAY_URL", "KEYWARDEN_TOKEN_ID"], results["keywarden_variables"]!.AsArray().Select(v => v!.GetValue<string>()));

        var token = await File.ReadAllTextAsync(tokenFile, Ct);
        Assert.Matches("^kw_[0-9A-Za-z]{36}$", token);
        Assert.DoesNotContain(run.Out.Concat(run.Error), line => line.Contains(token[3..], StringComparison.Ordinal));
        var id = Assert.Single(await ListedAsync()).GetProperty("id").GetString()!;
        Assert.Contains(run.Error, line => line.StartsWith($"keywarden run: token {id} ('run: node') on upstream 'news', until ", StringComparison.Ordinal));
        Assert.Contains($"keywarden run: revoked {id}", run.Error);
        await AssertRefusedAsync(serve.Address, token);
        var listed = Assert.Single(await ListedAsync());
        Assert.Equal("revoked", listed.GetProperty("state").GetString());
        Assert.False(listed.GetProperty("policy").GetProperty("read_only").GetBoolean());
        var expires = listed.GetProperty("policy").GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires - listed.GetProperty("created_at").GetDateTimeOffset(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task TheOfficialTransactionalClient_GetsTheTokenAsMandrillKey_AndPingsThroughTheGateway()
    {
        using var serve = await ServeAsync("transactional");

        using var run = Run(serve, [], "--upstream", "news", "--ttl", "10m");
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 0, Describe(run));
        var results = LastJson(run)["results"]!;
        Assert.Equal("PONG!", results["ping"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(results["info"]!.GetValue<string>()));
        var listed = Assert.Single(await ListedAsync());
        Assert.Equal("revoked", listed.GetProperty("state").GetString());
        Assert.InRange(
            listed.GetProperty("policy").GetProperty("expires_at").GetDateTimeOffset() - listed.GetProperty("created_at").GetDateTimeOffset(),
            TimeSpan.FromMinutes(9),
            TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task AfterATemplateToken_TheRunsTokenHasItsPolicy_AndExpiresWithTheRun()
    {
        using var serve = await ServeAsync("marketing");
        var template = await Cli.RunAsync("token", "issue", "--upstream", "news", "--name", "billing", "--read-only", "--rate", "600/min", "--json");
        Assert.True(template.ExitCode == 0, template.Error);
        var templateId = JsonDocument.Parse(template.Out).RootElement.GetProperty("id").GetString()!;

        using var run = Run(serve, [], "--token", "billing", "--ttl", "30m");
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.True(LastJson(run)["ok"]!.GetValue<bool>());
        var child = Assert.Single((await ListedAsync()), t => t.GetProperty("id").GetString() != templateId);
        Assert.Equal("run: billing", child.GetProperty("name").GetString());
        Assert.Equal("revoked", child.GetProperty("state").GetString());
        var policy = child.GetProperty("policy");
        Assert.True(policy.GetProperty("read_only").GetBoolean());
        Assert.Equal(JsonDocument.Parse(template.Out).RootElement.GetProperty("policy").GetProperty("rate").ToString(), policy.GetProperty("rate").ToString());
        Assert.InRange(
            policy.GetProperty("expires_at").GetDateTimeOffset() - child.GetProperty("created_at").GetDateTimeOffset(), TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.Equal("active", Assert.Single((await ListedAsync()), t => t.GetProperty("id").GetString() == templateId).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task ASignalToKeywarden_ReachesTheCommand_WhoseExitCodeIsPassedOn_AndTheTokenIsInNoArgv(string signal)
    {
        using var serve = await ServeAsync("marketing");
        var tokenFile = Path.Combine(Scratch, "token");

        using var run = Run(serve, new() { ["RUN_ENV_MODE"] = "wait", ["RUN_ENV_EXIT"] = "42", ["RUN_ENV_TOKEN_FILE"] = tokenFile }, "--upstream", "news");
        var ready = JsonNode.Parse(await run.WaitForLineAsync(run.Out, l => l.Contains("\"ready\"", StringComparison.Ordinal), "the command's ready line"))!;
        var childPid = ready["pid"]!.GetValue<int>();
        var token = await File.ReadAllTextAsync(tokenFile, Ct);
        var childArgv = await File.ReadAllBytesAsync($"/proc/{childPid}/cmdline", Ct);
        var keywardenArgv = await File.ReadAllBytesAsync($"/proc/{run.Id}/cmdline", Ct);
        run.Signal(signal);
        await run.WaitForExitAsync();

        Assert.Contains("run-env.mjs", Encoding.UTF8.GetString(childArgv), StringComparison.Ordinal);
        Assert.DoesNotContain(token[3..], Encoding.UTF8.GetString(childArgv), StringComparison.Ordinal);
        Assert.DoesNotContain(token[3..], Encoding.UTF8.GetString(keywardenArgv), StringComparison.Ordinal);
        Assert.True(run.ExitCode == 42, Describe(run));
        Assert.Contains(run.Out, l => l == $"{{\"signal\":\"SIG{signal}\"}}");
        Assert.DoesNotContain(run.Out.Concat(run.Error), line => line.Contains(token[3..], StringComparison.Ordinal));
        await AssertRefusedAsync(serve.Address, token);
    }

    [Fact]
    public async Task ACommandKilledByTheForwardedSigint_MakesKeywardenExit130_AfterRevokingTheToken()
    {
        using var serve = await ServeAsync("marketing");
        var tokenFile = Path.Combine(Scratch, "token");

        using var run = Run(serve, new() { ["RUN_ENV_MODE"] = "wait", ["RUN_ENV_TOKEN_FILE"] = tokenFile }, "--upstream", "news");
        await run.WaitForLineAsync(run.Out, l => l.Contains("\"ready\"", StringComparison.Ordinal), "the command's ready line");
        run.Signal("INT");
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 130, Describe(run));
        Assert.Contains(run.Error, l => l.StartsWith("keywarden run: revoked tok_", StringComparison.Ordinal));
        await AssertRefusedAsync(serve.Address, await File.ReadAllTextAsync(tokenFile, Ct));
    }

    [Fact]
    public async Task ASigintWhileWaitingForTheGateway_StopsTheRun_Exit130_TheCommandNeverStarts_AndTheTokenIsRevoked()
    {
        await Cli.InitAsync();
        await Cli.AddSandboxUpstreamAsync("news");
        var marker = Path.Combine(Scratch, "started");

        // The sandbox is no gateway: it never takes the token, so keywarden waits (60 s at most) until the signal.
        var start = ServeProcess.StartInfo(Cli, ["run", "--upstream", "news", "--gateway", Cli.Sandbox.BaseAddress.ToString(), "--wait", "60s", "--", "touch", marker]);
        using var run = ServeProcess.Start(start);
        await run.WaitForLineAsync(run.Error, l => l.StartsWith("keywarden run: token tok_", StringComparison.Ordinal), "the issued token's line");
        run.Signal("INT");
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 130, Describe(run));
        Assert.False(File.Exists(marker));
        Assert.Contains(run.Error, l => l.StartsWith("keywarden run: revoked tok_", StringComparison.Ordinal));
        Assert.Equal("revoked", Assert.Single(await ListedAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task AMissingCommand_Exits127_WithoutIssuingAToken()
    {
        Cli.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        await Cli.InitAsync();
        await Cli.AddSandboxUpstreamAsync("news");

        var missing = await Cli.RunAsync("run", "--upstream", "news", "--", "kw-no-such-command", "--flag");
        var noFile = await Cli.RunAsync("run", "--upstream", "news", "--", "./kw-no-such-file");

        Assert.Equal(127, missing.ExitCode);
        Assert.Equal("error: command not found: kw-no-such-command (not in PATH)", missing.Error.Trim());
        Assert.Equal(127, noFile.ExitCode);
        Assert.Equal("error: no such file: ./kw-no-such-file", noFile.Error.Trim());
        Assert.Empty(await ListedAsync());
    }

    [Theory]
    [InlineData("no source", "--", "true")]
    [InlineData("both sources", "--upstream", "news", "--token", "billing", "--", "true")]
    [InlineData("ttl too long", "--upstream", "news", "--ttl", "25h", "--", "true")]
    [InlineData("ttl without unit", "--upstream", "news", "--ttl", "60", "--", "true")]
    [InlineData("not a gateway address", "--upstream", "news", "--gateway", "ftp://127.0.0.1/", "--", "true")]
    [InlineData("no command", "--upstream", "news")]
    [InlineData("no such upstream", "--upstream", "nope", "--", "true")]
    [InlineData("no such template", "--token", "nope", "--", "true")]
    public async Task BadInput_IsExit2_WithAMessage_AndNoTokenLeftActive(string why, params string[] args)
    {
        Cli.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        await Cli.InitAsync();
        await Cli.AddSandboxUpstreamAsync("news");

        var run = await Cli.RunAsync(["run", .. args]);

        Assert.True(run.ExitCode == 2, $"{why}: {run.ExitCode} {run.All}");
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(await ListedAsync());
    }

    [Fact]
    public async Task AGatewayThatNeverTakesTheToken_StopsTheRunBeforeTheCommand_AndTheTokenIsRevoked()
    {
        Cli.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        await Cli.InitAsync();
        await Cli.AddSandboxUpstreamAsync("news");
        var marker = Path.Combine(Scratch, "started");

        // The sandbox is no gateway: it answers 401 for the token, as a gateway does for a token it does not know.
        var run = await Cli.RunAsync("run", "--upstream", "news", "--gateway", Cli.Sandbox.BaseAddress.ToString(), "--wait", "300ms", "--", "touch", marker);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: the gateway at " + Cli.Sandbox.BaseAddress + " did not take the new token within 300ms (it answers 401 API Key Invalid)", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.Equal("revoked", Assert.Single(await ListedAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ATokenOnTheCommandLine_IsRefusedBeforeAnythingRuns()
    {
        await Cli.InitAsync();
        var token = Core.Tokens.GatewayToken.Generate().Value;

        var asTemplate = await Cli.RunAsync("run", "--token", token, "--", "true");
        var asArgument = await Cli.RunAsync("run", "--upstream", "news", "--", "echo", token);

        Assert.Equal(2, asTemplate.ExitCode);
        Assert.Contains("refusing --token", asTemplate.Error, StringComparison.Ordinal);
        Assert.Equal(2, asArgument.ExitCode);
        Assert.Contains("refusing a gateway token on the command line", asArgument.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token[3..], asTemplate.All + asArgument.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InRemoteMode_TheTokenIsIssuedAndRevokedByTheServer_AsTheMachineCredential_WithNoVaultOnThisMachine()
    {
        using var serve = await ServeAsync("marketing", "--admin-listen", "127.0.0.1:0");
        var admin = await serve.Serve.WaitForLineAsync(serve.Serve.Out, l => l.StartsWith("  Admin API: ", StringComparison.Ordinal), "the admin API's address");
        var issued = await Cli.RunAsync("operator", "credential", "issue", "ci-runner", "--role", "operator", "--expires", "1d", "--json");
        Assert.True(issued.ExitCode == 0, issued.All);
        var credential = JsonDocument.Parse(issued.Out).RootElement.GetProperty("credential").GetString()!;
        // Paths named: a token on the whole API needs a fresh second factor, which a machine credential does not have.
        var template = await Cli.RunAsync("token", "issue", "--upstream", "news", "--name", "billing", "--read-only", "--path", "/ping", "--path", "/lists", "--json");
        Assert.True(template.ExitCode == 0, template.All);
        var tokenFile = Path.Combine(Scratch, "token");
        var nowhere = Path.Combine(Scratch, "no-vault-here");

        using var run = Run(
            serve,
            new()
            {
                ["KEYWARDEN_ADDR"] = admin["  Admin API: ".Length..admin.IndexOf("v1/", StringComparison.Ordinal)],
                ["KEYWARDEN_TOKEN"] = credential,
                ["KEYWARDEN_DATA"] = nowhere,
                ["KEYWARDEN_MASTER_KEY_FILE"] = Path.Combine(nowhere, "master.key"),
                ["RUN_ENV_EXIT"] = "3",
                ["RUN_ENV_TOKEN_FILE"] = tokenFile,
            },
            "--token", "billing");
        await run.WaitForExitAsync();

        Assert.True(run.ExitCode == 3, Describe(run));
        Assert.Equal("us21", LastJson(run)["results"]!["server"]!.GetValue<string>());
        Assert.False(Directory.Exists(nowhere));
        var token = await File.ReadAllTextAsync(tokenFile, Ct);
        Assert.DoesNotContain(run.Out.Concat(run.Error), line => line.Contains(token[3..], StringComparison.Ordinal) || line.Contains(credential, StringComparison.Ordinal));
        await AssertRefusedAsync(serve.Address, token);
        var runs = (await ListedAsync()).Where(t => t.GetProperty("name").GetString() == "run: billing").ToList();
        var listed = Assert.Single(runs);
        Assert.Equal("revoked", listed.GetProperty("state").GetString());
        Assert.True(listed.GetProperty("policy").GetProperty("read_only").GetBoolean());
        var audit = await Cli.RunAsync("audit", "tail", "--actor", "machine:ci-runner", "--json");
        Assert.True(audit.ExitCode == 0, audit.All);
        Assert.Contains("token.issue", audit.Out, StringComparison.Ordinal);
        Assert.Contains("token.revoke", audit.Out, StringComparison.Ordinal);
    }

    /// <summary>An initialised vault with upstream 'news' of <paramref name="kind"/> on the sandbox, and a gateway serving it.</summary>
    private async Task<Gateway> ServeAsync(string kind, params string[] more)
    {
        await Cli.InitAsync();
        await Cli.AddSandboxUpstreamAsync("news", kind);
        await CompatScripts.EnsureInstalledAsync(Ct);
        var serve = ServeProcess.Start(Cli, ["serve", "--listen", "http://127.0.0.1:0", "--no-monitor", .. more]);
        return new Gateway(serve, await serve.ListeningAsync());
    }

    /// <summary>
    /// <c>keywarden run ARGS -- node run-env.mjs</c> as its own process, with the master key's file named in its environment
    /// (to prove it does not reach the command) and <paramref name="environment"/> for the script.
    /// </summary>
    private ServeProcess Run(Gateway gateway, Dictionary<string, string?> environment, params string[] args)
    {
        var start = ServeProcess.StartInfo(Cli, [.. args, "--gateway", gateway.Address.ToString(), "--", "node", CompatScripts.Path("run-env.mjs")]);
        start.ArgumentList.Insert(1, "run");
        start.Environment["KEYWARDEN_MASTER_KEY_FILE"] = Path.Combine(Cli.DataDirectory, "master.key");
        start.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "no-session.json");
        foreach (var (name, value) in CompatScripts.LoopbackEnvironment().Concat(environment))
        {
            start.Environment[name] = value;
        }

        return ServeProcess.Start(start);
    }

    private async Task<List<JsonElement>> ListedAsync()
    {
        var list = await Cli.RunAsync("token", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Error);
        return [.. JsonDocument.Parse(list.Out).RootElement.GetProperty("tokens").EnumerateArray()];
    }

    /// <summary>The gateway refuses the token, once its revocation has reached it through the change feed.</summary>
    private static async Task AssertRefusedAsync(Uri gateway, string token)
    {
        using var http = Loopback.Client(gateway);
        await Wait.UntilAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "3.0/ping") { Headers = { Authorization = BasicAuth.Header(token) } };
                using var response = await http.SendAsync(request, Ct);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            "the gateway refuses the revoked token");
    }

    private static JsonNode LastJson(ServeProcess run) =>
        JsonNode.Parse(run.Out.LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException("no JSON from the command: " + Describe(run)))!;

    private static string Describe(ServeProcess run) => $"exit {(run.HasExited ? run.ExitCode : -1)}; stdout: {string.Join(" | ", run.Out)}; stderr: {string.Join(" | ", run.Error)}";

    /// <summary>A running <c>keywarden serve</c> and its address.</summary>
    private sealed record Gateway(ServeProcess Serve, Uri Address) : IDisposable
    {
        public void Dispose() => Serve.Dispose();
    }
}
