using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keywarden.Cli.Tests.Operators;

namespace Keywarden.Cli.Tests.Remote;

/// <summary>
/// <c>rotate …</c> and <c>sink …</c> in remote mode: a real <c>serve</c> with the admin API, an admin logged in, and the
/// same commands run against the vault on this machine and through the server print the same and exit the same.
/// </summary>
public sealed partial class RemoteRotationTests : CliTestBase
{
    [Fact]
    public async Task ARotation_LocallyAndThroughTheServer_PrintsTheSameStdoutAndExitCodes_TheSubmitSteppingUpWithACodeFromStdin()
    {
        // Join with the code of the step before and log in with this step's: the step after is left for the step-up.
        var init = await Cli.RunAsync("init");
        var (join, secret) = await OperatorCommandTests.JoinAsync(Cli, OperatorCommandTests.SetupCode().Match(init.Out).Value, codeStep: -1);
        Assert.True(join.ExitCode == 0, join.All);
        var local = await AddUpstreamAsync("localnews");
        var remote = await AddUpstreamAsync("remotenews");
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "session.json");
        var login = await Cli.PipeAsync($"admin\n{OperatorCommandTests.Password}\n{OperatorCommandTests.CodeAt(secret, 0)}\n", "login", "--addr", address);
        Assert.True(login.ExitCode == 0, login.All);

        var locally = await RunSequenceAsync(local, stepUpCode: null);
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var remotely = await RunSequenceAsync(remote, stepUpCode: OperatorCommandTests.CodeAt(secret, 1));

        Assert.Equal(locally.Select(r => r.Command), remotely.Select(r => r.Command));
        Assert.Equal([2, 0, 0, 0, 1, 0, 0, 0, 0], locally.Select(r => r.ExitCode));
        for (var i = 0; i < locally.Count; i++)
        {
            Assert.True(locally[i].ExitCode == remotely[i].ExitCode, $"{locally[i].Command}: local {locally[i].ExitCode}, remote {remotely[i].ExitCode}: {remotely[i].Error}");
            Assert.Equal(locally[i].Out, remotely[i].Out);
        }

        Assert.Equal("error: upstream 'U' has no rotation in progress: keywarden rotate start U", locally[0].Error.Trim());
        Assert.Equal(locally[0].Error, remotely[0].Error);
        Assert.Contains("Rotation rot_X of 'U' opened (manual). Steps:", remotely[1].Out, StringComparison.Ordinal);
        Assert.Contains("New key NEW… (keywarden-U-", remotely[3].Out, StringComparison.Ordinal);
        Assert.Contains("is complete and the old key is deleted", remotely[5].Out, StringComparison.Ordinal);
        Assert.Contains("complete (old key revoked)", remotely[6].Out, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"aborted\"", remotely[8].Out, StringComparison.Ordinal);
        Assert.All(remotely, r => Assert.DoesNotContain("fresh second factor", r.Error, StringComparison.Ordinal)); // the code came from stdin
        Assert.All(locally.Concat(remotely), r => Assert.DoesNotContain(r.NewKey, r.Out + r.Error, StringComparison.Ordinal));

        // The server wrote the remote rotation's steps in the name of the operator.
        Cli.Environment.Remove("KEYWARDEN_ADDR");
        var status = JsonNode.Parse((await Cli.RunAsync("rotate", "status", remote.Name, "--json")).Out)!;
        var history = status["upstreams"]![0]!["rotation"]!["history"]!.AsArray();
        Assert.All(history, step => Assert.Equal("admin", step!["actor"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SinkList_IsTheSameLocallyAndThroughTheServer_AndSinkAddRemoveGoThroughIt()
    {
        var init = await Cli.RunAsync("init");
        var (join, secret) = await OperatorCommandTests.JoinAsync(Cli, OperatorCommandTests.SetupCode().Match(init.Out).Value, codeStep: -1);
        Assert.True(join.ExitCode == 0, join.All);
        await Cli.AddSandboxUpstreamAsync("news");
        var env = Path.Combine(Scratch, "app.env");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old-FAKE\n", TestContext.Current.CancellationToken);
        var added = await Cli.RunAsync("sink", "add", "news", $"env:{env}#MAILCHIMP_API_KEY");
        Assert.True(added.ExitCode == 0, added.All);
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "session.json");
        var login = await Cli.PipeAsync($"admin\n{OperatorCommandTests.Password}\n{OperatorCommandTests.CodeAt(secret, 0)}\n", "login", "--addr", address);
        Assert.True(login.ExitCode == 0, login.All);

        var localTable = await Cli.RunAsync("sink", "list");
        var localJson = await Cli.RunAsync("sink", "list", "--json");
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var remoteTable = await Cli.RunAsync("sink", "list");
        var remoteJson = await Cli.RunAsync("sink", "list", "--json");
        var exec = await Cli.PipeAsync($"{OperatorCommandTests.CodeAt(secret, 1)}\n", "sink", "add", "news", "exec:/bin/true");
        var config = Path.Combine(Scratch, "app.json");
        await File.WriteAllTextAsync(config, "{\"mailchimp\": {\"key\": \"old-FAKE\"}}\n", TestContext.Current.CancellationToken);
        var second = await Cli.RunAsync("sink", "add", "news", $"json:{config}#mailchimp.key", "--json");
        Assert.True(second.ExitCode == 0, second.All);
        var secondId = JsonNode.Parse(second.Out)!["id"]!.GetValue<string>();
        var removed = await Cli.RunAsync("sink", "remove", secondId);
        var unknown = await Cli.RunAsync("sink", "remove", "sink_FAKE0000");
        var after = await Cli.RunAsync("sink", "list", "--json");

        Assert.Equal((0, 0), (localTable.ExitCode, remoteTable.ExitCode));
        Assert.Equal(localTable.Out, remoteTable.Out);
        Assert.Equal(localJson.Out, remoteJson.Out);
        Assert.Contains($"env:{env}#MAILCHIMP_API_KEY", remoteTable.Out, StringComparison.Ordinal);
        Assert.Equal(2, exec.ExitCode);
        Assert.Contains("an exec: sink runs a command on the server", exec.Error, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal((0, $"Removed sink {secondId}."), (removed.ExitCode, removed.Out.Trim()));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("error: no sink with id 'sink_FAKE0000' (see 'keywarden sink list')", unknown.Error.Trim());
        Assert.Equal(localJson.Out, after.Out);
    }

    /// <summary>
    /// The rotation commands on <paramref name="upstream"/>, their output with what differs by nature (the upstream's
    /// name, ids, key prefixes, times) scrubbed; <paramref name="stepUpCode"/> answers the step-up prompt of remote mode.
    /// </summary>
    private async Task<List<Step>> RunSequenceAsync(Upstream upstream, string? stepUpCode)
    {
        var (_, newKeyId, newKey) = await Cli.CreateKeyAsync("marketing", accountId: upstream.AccountId);
        var keyFile = Path.Combine(Scratch, upstream.Name + ".key");
        await File.WriteAllTextAsync(keyFile, newKey + "\n", TestContext.Current.CancellationToken);
        var steps = new List<Step>();

        async Task Run(string? stdin, params string[] args)
        {
            var run = await Cli.PipeAsync(stdin, args);
            steps.Add(new Step(string.Join(' ', args).Replace(upstream.Name, "U", StringComparison.Ordinal), run.ExitCode, Scrub(run.Out), Scrub(run.Error), newKey));
        }

        string Scrub(string text)
        {
            text = text.Replace(upstream.Key[..4] + "…", "OLD…", StringComparison.Ordinal).Replace(newKey[..4] + "…", "NEW…", StringComparison.Ordinal);
            text = text.Replace(upstream.Name, "U", StringComparison.Ordinal).Replace(upstream.AccountId, "ACCOUNT", StringComparison.Ordinal);
            return Instant().Replace(RotationId().Replace(text, "rot_X"), "TIME");
        }

        await Run(null, "rotate", "abort", upstream.Name);
        await Run(null, "rotate", "start", upstream.Name);
        await Run(null, "rotate", "status", upstream.Name);
        await Run(stepUpCode is null ? null : stepUpCode + "\n", "rotate", "submit", upstream.Name, "--key-file", keyFile);
        await Run(null, "rotate", "confirm", upstream.Name);
        await Cli.RevokeKeyAsync(upstream.KeyId);
        await Run(null, "rotate", "confirm", upstream.Name);
        await Run(null, "rotate", "status", upstream.Name);
        await Run(null, "rotate", "start", upstream.Name, "--reason", "scheduled", "--note", "yearly");
        await Run(null, "rotate", "abort", upstream.Name, "--json");
        Assert.NotEqual(newKeyId, upstream.KeyId);
        return steps;
    }

    private async Task<Upstream> AddUpstreamAsync(string name)
    {
        var (accountId, keyId, key) = await Cli.CreateKeyAsync("marketing");
        var add = await Cli.PipeAsync(key, "upstream", "add", name, "--kind", "marketing", "--base-url", Cli.Sandbox.BaseAddress.ToString());
        Assert.True(add.ExitCode == 0, add.All);
        return new Upstream(name, accountId, keyId, key);
    }

    private ServeProcess StartServe() =>
        ServeProcess.Start(Cli, "serve", "--listen", "http://127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--no-monitor");

    private static async Task<string> AdminAddressAsync(ServeProcess serve)
    {
        var line = await serve.WaitForLineAsync(serve.Out, l => AdminBanner().IsMatch(l), "the admin API's address");
        return AdminBanner().Match(line).Groups[1].Value;
    }

    [GeneratedRegex(@"^  Admin API: (http://[^ ]+/)v1/")]
    private static partial Regex AdminBanner();

    [GeneratedRegex(@"rot_[0-9A-Za-z]+")]
    private static partial Regex RotationId();

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ")]
    private static partial Regex Instant();

    private sealed record Upstream(string Name, string AccountId, string KeyId, string Key);

    /// <summary>One command's scrubbed output; <see cref="NewKey"/> is the secret that must appear in neither.</summary>
    private sealed record Step(string Command, int ExitCode, string Out, string Error, string NewKey)
    {
        public override string ToString() => $"{Command} → {ExitCode}";
    }
}
