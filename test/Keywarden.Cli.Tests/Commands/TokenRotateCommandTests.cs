using System.Text.Json;
using Keywarden.Core.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>token rotate ID [--grace 24h] [--json]</c>.</summary>
public sealed class TokenRotateCommandTests
{
    [Fact]
    public async Task TokenRotate_IssuesASuccessorWithTheSamePolicy_AndTheOldTokenIsInItsGrace()
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli, "--read-only", "--path", "/lists/**", "--rate", "600/min", "--expires", "30d");

        var rotate = await cli.RunAsync("token", "rotate", old.Id, "--json");
        var rotated = JsonDocument.Parse(rotate.Out).RootElement;
        var list = await cli.RunAsync("token", "list", "--json");
        var table = await cli.RunAsync("token", "list");

        Assert.Equal(0, rotate.ExitCode);
        var token = rotated.GetProperty("token").GetString()!;
        Assert.True(GatewayToken.IsValid(token));
        Assert.NotEqual(old.Token, token);
        Assert.NotEqual(old.Id, rotated.GetProperty("id").GetString());
        Assert.Equal("signup", rotated.GetProperty("name").GetString());
        Assert.Equal("news", rotated.GetProperty("upstream").GetString());
        var policy = rotated.GetProperty("policy");
        Assert.True(policy.GetProperty("read_only").GetBoolean());
        Assert.Equal("/lists/**", policy.GetProperty("paths")[0].GetString());
        Assert.Equal("600/min", policy.GetProperty("rate").GetString());
        AssertNear(DateTimeOffset.UtcNow.AddDays(30), policy.GetProperty("expires_at").GetDateTimeOffset());
        var previous = rotated.GetProperty("successor_of");
        Assert.Equal(old.Id, previous.GetProperty("id").GetString());
        AssertNear(DateTimeOffset.UtcNow.AddHours(24), previous.GetProperty("expires_at").GetDateTimeOffset());

        var rows = JsonDocument.Parse(list.Out).RootElement.GetProperty("tokens").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal("grace", rows[old.Id].GetProperty("state").GetString());
        Assert.Equal(rotated.GetProperty("id").GetString(), rows[old.Id].GetProperty("superseded_by").GetString());
        Assert.Equal("active", rows[rotated.GetProperty("id").GetString()!].GetProperty("state").GetString());
        Assert.Contains($"grace (until expiry; successor {rotated.GetProperty("id").GetString()})", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list.All + table.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRotate_PrintsTheNewTokenAsIssueDoes_AndSaysUntilWhenTheOldOneWorks()
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli);

        var rotate = await cli.RunAsync("token", "rotate", old.Id, "--grace", "30m");

        Assert.Equal(0, rotate.ExitCode);
        var lines = rotate.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^Issued token tok_[0-9a-z]+ for 'signup' on upstream 'news'\\.$", lines[0]);
        Assert.True(GatewayToken.IsValid(lines[1]));
        Assert.Contains("shown only once", rotate.Error, StringComparison.Ordinal);
        Assert.Contains($"{old.Id} keeps working until ", rotate.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[1], rotate.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(old.Token, rotate.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30m", 0.5)]
    [InlineData("24h", 24)]
    [InlineData("7d", 168)]
    public async Task TokenRotate_Grace_SetsTheOldTokensExpiry(string grace, double hours)
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli, "--expires", "90d");

        var rotated = JsonDocument.Parse((await cli.RunAsync("token", "rotate", old.Id, "--grace", grace, "--json")).Out).RootElement;

        AssertNear(DateTimeOffset.UtcNow.AddHours(hours), rotated.GetProperty("successor_of").GetProperty("expires_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task TokenRotate_GraceLongerThanTheOldExpiry_KeepsTheOldExpiry()
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli, "--expires", "2h");

        var rotated = JsonDocument.Parse((await cli.RunAsync("token", "rotate", old.Id, "--grace", "7d", "--json")).Out).RootElement;

        AssertNear(DateTimeOffset.UtcNow.AddHours(2), rotated.GetProperty("successor_of").GetProperty("expires_at").GetDateTimeOffset());
        AssertNear(DateTimeOffset.UtcNow.AddHours(2), rotated.GetProperty("policy").GetProperty("expires_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task TokenRotate_GraceZero_RevokesTheOldTokenAtOnce()
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli);

        var rotate = await cli.RunAsync("token", "rotate", old.Id, "--grace", "0");
        var row = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens").EnumerateArray()
            .Single(r => r.GetProperty("id").GetString() == old.Id);

        Assert.Equal(0, rotate.ExitCode);
        Assert.Contains($"{old.Id} is revoked.", rotate.Error, StringComparison.Ordinal);
        Assert.Equal("revoked", row.GetProperty("state").GetString());
    }

    [Fact]
    public async Task TokenRotate_RecordsTheLineageInTheAuditLog()
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli);

        var rotate = JsonDocument.Parse((await cli.RunAsync("token", "rotate", old.Id, "--json")).Out).RootElement;
        var newId = rotate.GetProperty("id").GetString();
        var tail = await cli.RunAsync("audit", "tail", "-n", "1", "--json");
        var record = JsonDocument.Parse(tail.Out).RootElement;
        var all = await cli.RunAsync("audit", "export");

        // Canary: neither secret reaches the audit log.
        Assert.Contains("token.rotate", all.Out, StringComparison.Ordinal);
        foreach (var secret in new[] { old.Token, rotate.GetProperty("token").GetString()! })
        {
            Assert.DoesNotContain(secret, all.All, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[..12], all.All, StringComparison.Ordinal);
        }

        Assert.Equal("token.rotate", record.GetProperty("method").GetString());
        Assert.Equal(old.Id, record.GetProperty("path").GetString());
        Assert.Equal(newId, record.GetProperty("token_id").GetString());
        Assert.StartsWith($"{newId} succeeds {old.Id} ('signup' on upstream 'news'); {old.Id} expires at ", record.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRotate_RevokedExpiredOrAlreadyRotatedToken_ExitsWithTwoAndIssuesNothing()
    {
        await using var cli = await PrepareAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        cli.Time = clock;
        var revoked = await IssueAsync(cli);
        var expiring = await IssueAsync(cli, "--expires", "1h");
        var rotatedOnce = await IssueAsync(cli);
        await cli.RunAsync("token", "revoke", revoked.Id);
        Assert.Equal(0, (await cli.RunAsync("token", "rotate", rotatedOnce.Id)).ExitCode);
        clock.Advance(TimeSpan.FromHours(1));
        var count = TokenCount(await cli.RunAsync("token", "list", "--json"));

        var runs = new[]
        {
            (await cli.RunAsync("token", "rotate", revoked.Id), "is revoked"),
            (await cli.RunAsync("token", "rotate", expiring.Id), "expired at"),
            (await cli.RunAsync("token", "rotate", rotatedOnce.Id), "was already rotated"),
            (await cli.RunAsync("token", "rotate", "tok_000000000000"), "no token with id"),
        };

        foreach (var (run, message) in runs)
        {
            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
            Assert.Contains(message, run.Error, StringComparison.Ordinal);
            Assert.Equal("", run.Out);
        }

        Assert.Equal(count, TokenCount(await cli.RunAsync("token", "list", "--json")));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1h")]
    [InlineData("0h")]
    [InlineData("24")]
    public async Task TokenRotate_InvalidGrace_IsRefusedAndNothingIssued(string grace)
    {
        await using var cli = await PrepareAsync();
        var old = await IssueAsync(cli);

        var run = await cli.RunAsync("token", "rotate", old.Id, "--grace", grace);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("invalid --grace", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, TokenCount(await cli.RunAsync("token", "list", "--json")));
    }

    private static int TokenCount(CliRun list) => JsonDocument.Parse(list.Out).RootElement.GetProperty("tokens").GetArrayLength();

    private static void AssertNear(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.InRange(actual, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromMinutes(1));

    private static async Task<(string Id, string Token)> IssueAsync(CliFixture cli, params string[] policy)
    {
        var run = await cli.RunAsync(["token", "issue", "--upstream", "news", "--name", "signup", "--json", .. policy]);
        Assert.True(run.ExitCode == 0, run.Error);
        var issued = JsonDocument.Parse(run.Out).RootElement;
        return (issued.GetProperty("id").GetString()!, issued.GetProperty("token").GetString()!);
    }

    private static async Task<CliFixture> PrepareAsync()
    {
        var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, key) = await cli.AddSandboxUpstreamAsync("news");
        Assert.False(string.IsNullOrEmpty(key));
        return cli;
    }
}
