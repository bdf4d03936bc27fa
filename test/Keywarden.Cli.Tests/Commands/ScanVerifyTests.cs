using System.Text.Json;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Commands;

public sealed class ScanVerifyTests : CliTestBase
{
    [Fact]
    public async Task Verify_AgainstTheSandbox_TellsActiveFromRevoked_InEveryFormat_AndNeverShowsAKey()
    {
        var (_, _, active) = await Cli.CreateKeyAsync("marketing");
        var (_, revokedId, revoked) = await Cli.CreateKeyAsync("marketing");
        var (_, _, mandrill) = await Cli.CreateKeyAsync("transactional");
        var (_, mandrillRevokedId, mandrillRevoked) = await Cli.CreateKeyAsync("transactional");
        await Cli.RevokeKeyAsync(revokedId);
        await Cli.RevokeKeyAsync(mandrillRevokedId);
        // The active key twice: checked once, both occurrences carry the answer.
        File.WriteAllText(Path.Combine(Scratch, "a.env"), $"A={active}\nB={revoked}\nC={mandrill}\nD={mandrillRevoked}\nE={active}\n");
        var sandbox = Cli.Sandbox.BaseAddress.ToString();

        var text = await Cli.RunAsync("scan", Scratch, "--verify", "--verify-base-url", sandbox);
        var json = await Cli.RunAsync("scan", Scratch, "--verify", "--verify-base-url", sandbox, "--format", "json");
        var sarif = await Cli.RunAsync("scan", Scratch, "--verify", "--verify-base-url", sandbox, "--format", "sarif");

        Assert.True(text.ExitCode == 1, text.All);
        var lines = text.Out.Split('\n');
        Assert.EndsWith("verified: active", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("verified: revoked (API Key Invalid)", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("verified: active", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("verified: revoked (Invalid_Key)", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("verified: active", lines[4], StringComparison.Ordinal);
        Assert.Equal(
            ["active", "revoked", "active", "revoked", "active"],
            JsonDocument.Parse(json.Out).RootElement.GetProperty("findings").EnumerateArray()
                .Select(f => f.GetProperty("verification").GetProperty("status").GetString()));
        Assert.Equal(
            ["active", "revoked", "active", "revoked", "active"],
            JsonDocument.Parse(sarif.Out).RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("properties").GetProperty("verification").GetString()));
        foreach (var run in new[] { text, json, sarif })
        {
            foreach (var key in new[] { active, revoked, mandrill, mandrillRevoked })
            {
                Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Verify_UnreachableUpstream_IsUnknown_ThroughTheEnvironmentVariables()
    {
        var (_, _, key) = await Cli.CreateKeyAsync("marketing");
        var (_, _, mandrill) = await Cli.CreateKeyAsync("transactional");
        File.WriteAllText(Path.Combine(Scratch, "a.env"), $"A={key}\nB={mandrill}\n");
        var closed = $"http://127.0.0.1:{Loopback.FreePort()}/";
        Cli.Environment["KEYWARDEN_MAILCHIMP_BASE_URL"] = closed;
        Cli.Environment["KEYWARDEN_MANDRILL_BASE_URL"] = closed;

        var run = await Cli.RunAsync("scan", Scratch, "--verify");

        Assert.True(run.ExitCode == 1, run.All);
        var lines = run.Out.Split('\n');
        Assert.Contains("verified: unknown (network error reaching http://127.0.0.1:", lines[0], StringComparison.Ordinal);
        Assert.Contains("verified: unknown (network error reaching http://127.0.0.1:", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
        Assert.DoesNotContain(mandrill[4..], run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BadBaseUrl_ExitsTwo()
    {
        var run = await Cli.RunAsync("scan", Scratch, "--verify", "--verify-base-url", "ftp://nowhere");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --verify-base-url: not an http(s) URL: ftp://nowhere", run.Error.TrimEnd());
    }
}
