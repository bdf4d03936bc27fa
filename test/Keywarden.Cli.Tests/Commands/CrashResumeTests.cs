using System.Diagnostics;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>
/// The real keywarden process, killed with SIGKILL right after it persists each step of a rotation
/// (KEYWARDEN_TEST_CRASH_AT), then run again: the rotation ends the same way, the upstream always
/// has a working current key, and the history holds every step exactly once.
/// </summary>
public sealed class CrashResumeTests
{
    private const int KilledBySigkill = 128 + 9;

    private static readonly string[] Steps = ["requested", "awaiting-new-key", "verifying", "staged", "promoted", "awaiting-revocation", "revoked"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotation_KilledAfterEveryStep_ResumesToTheSameOutcome_NoKeyLost_NoStepSkipped()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (oldKeyId, firstKey) = await cli.AddSandboxUpstreamAsync("news");
        var keys = new List<string> { firstKey };
        var outputs = new List<CliRun>();
        var account = JsonDocument.Parse((await cli.RunAsync("upstream", "list", "--json")).Out).RootElement.GetProperty("upstreams")[0].GetProperty("account_id").GetString()!;

        foreach (var crashAt in Steps)
        {
            var (newKeyId, newKey) = await NewKeyAsync(cli, account);
            keys.Add(newKey);
            var commands = new (string[] Args, string? Stdin, Func<Task>? Before)[]
            {
                (["rotate", "start", "news", "--reason", "scheduled"], null, null),
                (["rotate", "submit", "news"], newKey, null),
                (["rotate", "confirm", "news"], null, () => cli.RevokeKeyAsync(oldKeyId)),
            };
            var crashed = 0;
            foreach (var (args, stdin, before) in commands)
            {
                if (before is not null)
                {
                    await before();
                }

                var first = await RunProcessAsync(cli, args, stdin, crashed == 0 ? crashAt : null);
                outputs.Add(first);
                if (first.ExitCode == KilledBySigkill)
                {
                    crashed++;
                    var verify = await cli.RunAsync("upstream", "verify", "news");
                    Assert.True(verify.ExitCode == 0, $"after a crash at {crashAt} the current key must still work: {verify.All}");
                    first = await RunProcessAsync(cli, args, stdin, crashAt: null);
                    outputs.Add(first);
                }

                Assert.True(first.ExitCode == 0, $"'{string.Join(' ', args)}' after a crash at {crashAt}: {first.All}");
            }

            Assert.Equal(1, crashed);
            var status = JsonDocument.Parse((await cli.RunAsync("rotate", "status", "news", "--json")).Out).RootElement.GetProperty("upstreams")[0];
            var rotation = status.GetProperty("rotation");
            Assert.Equal("revoked", rotation.GetProperty("state").GetString());
            Assert.Equal(Steps, rotation.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("to").GetString()));
            Assert.Equal(newKey[..4], status.GetProperty("key_prefix").GetString());
            Assert.Equal(0, (await cli.RunAsync("upstream", "verify", "news")).ExitCode);
            oldKeyId = newKeyId;
        }

        var everything = string.Concat(outputs.Select(run => run.All));
        Assert.All(keys, key => Assert.DoesNotContain(key[4..], everything, StringComparison.Ordinal));
    }

    private static async Task<(string KeyId, string Key)> NewKeyAsync(CliFixture cli, string account)
    {
        var (_, keyId, key) = await cli.CreateKeyAsync("marketing", accountId: account);
        return (keyId, key);
    }

    /// <summary>Runs <c>dotnet keywarden.dll ARGS</c> as its own process against the fixture's data directory.</summary>
    private static async Task<CliRun> RunProcessAsync(CliFixture cli, string[] args, string? stdin, string? crashAt)
    {
        var start = ServeProcess.StartInfo(cli, args);
        start.RedirectStandardInput = true;
        if (crashAt is null)
        {
            start.Environment.Remove("KEYWARDEN_TEST_CRASH_AT");
        }
        else
        {
            start.Environment["KEYWARDEN_TEST_CRASH_AT"] = crashAt;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
