using System.Text.Json;
using Keywarden.Cli.Commands;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Tests.Commands;

public sealed class TokenCommandTests
{
    private const string Key = "0123456789abcdef0123456789abcdef-us3";

    [Fact]
    public async Task TokenIssue_PrintsTheTokenOnce_AndListShowsOnlyItsId()
    {
        await using var cli = await PrepareAsync();

        var issue = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--read-only", "--path", "/lists/**", "--json");
        var issued = JsonDocument.Parse(issue.Out).RootElement;
        var token = issued.GetProperty("token").GetString()!;
        var list = await cli.RunAsync("token", "list", "--json");
        var table = await cli.RunAsync("token", "list");

        Assert.Equal(0, issue.ExitCode);
        Assert.True(GatewayToken.IsValid(token));
        Assert.DoesNotContain(token, list.All + table.All, StringComparison.Ordinal);
        var row = JsonDocument.Parse(list.Out).RootElement.GetProperty("tokens")[0];
        Assert.Equal(issued.GetProperty("id").GetString(), row.GetProperty("id").GetString());
        Assert.Equal("active", row.GetProperty("state").GetString());
        Assert.True(row.GetProperty("policy").GetProperty("read_only").GetBoolean());
        Assert.Contains("signup", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenIssue_DefaultsToNinetyDayExpiry()
    {
        await using var cli = await PrepareAsync();

        var issued = JsonDocument.Parse((await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "a", "--json")).Out).RootElement;

        var expires = issued.GetProperty("policy").GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(89.9), TimeSpan.FromDays(90.1));
    }

    [Fact]
    public async Task TokenRevoke_MarksTheTokenRevoked()
    {
        await using var cli = await PrepareAsync();
        var id = JsonDocument.Parse((await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "a", "--json")).Out)
            .RootElement.GetProperty("id").GetString()!;

        var revoke = await cli.RunAsync("token", "revoke", id);
        var again = await cli.RunAsync("token", "revoke", id);
        var row = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens")[0];

        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("revoked", row.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("--method", "messages/send")]
    [InlineData("--from-domain", "example.org")]
    [InlineData("--cidr", "10.0.0.0/33")]
    [InlineData("--path", "/lists/../automations")]
    [InlineData("--rate", "fast")]
    [InlineData("--expires", "2001-01-01T00:00:00Z")]
    [InlineData("--expires", "soon")]
    [InlineData("--origin", "https://app.example.org/path")]
    public async Task TokenIssue_InvalidPolicy_IsRefusedAndNothingIssued(string option, string value)
    {
        await using var cli = await PrepareAsync();

        var run = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "a", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("No tokens", (await cli.RunAsync("token", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenIssue_TransactionalSendingLimits_AreStored()
    {
        await using var cli = await PrepareAsync();
        await cli.PipeAsync("md-Ab3dEfGh1jKlMn0pQrStUv", "upstream", "add", "receipts", "--kind", "transactional", "--no-verify");

        var run = await cli.RunAsync("token", "issue", "--upstream", "receipts", "--name", "shop", "--method", "messages/send",
            "--from-domain", "shop.example.org", "--max-recipients", "5", "--daily-quota", "100", "--rate", "10/s", "--cidr", "127.0.0.0/8", "--json");
        var policy = JsonDocument.Parse(run.Out).RootElement.GetProperty("policy");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("messages/send", policy.GetProperty("methods")[0].GetString());
        Assert.Equal(5, policy.GetProperty("max_recipients").GetInt32());
        Assert.Equal(100, policy.GetProperty("daily_quota").GetInt32());
        Assert.Equal("127.0.0.0/8", policy.GetProperty("cidrs")[0].GetString());
    }

    [Fact]
    public async Task TokenRevoke_UnknownId_ExitsWithTwo()
    {
        await using var cli = await PrepareAsync();

        var run = await cli.RunAsync("token", "revoke", "tok_000000000000");

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task TokenIssue_WithFieldToken_PrintsOnlyTheToken_ForAShellVariable()
    {
        await using var cli = await PrepareAsync();

        var issue = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--field", "token");
        var id = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "other", "--field", "id");
        var list = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens");

        Assert.True(issue.ExitCode == 0, issue.All);
        Assert.Matches("^kw_[0-9A-Za-z]+\n$", issue.Out.ReplaceLineEndings("\n"));
        Assert.True(GatewayToken.IsValid(issue.Out.TrimEnd()));
        Assert.Equal("", issue.Error); // nothing else, not even the "store it now" advice, so $(...) holds just the token
        Assert.True(id.ExitCode == 0, id.All);
        Assert.Equal("other", list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id.Out.TrimEnd()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task TokenIssue_FieldNames_AreTheJsonDocumentsNames_AndEachPrintsItsValue()
    {
        await using var cli = await PrepareAsync();

        var document = JsonDocument.Parse((await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--json")).Out).RootElement;
        var name = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--field", "name");
        var upstream = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--field", "upstream");
        var created = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--field", "created_at");
        var policy = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--read-only", "--field", "policy");

        Assert.Equal(["version", .. TokenCommands.IssuedFields], document.EnumerateObject().Select(p => p.Name));
        Assert.Equal("signup", name.Out.TrimEnd());
        Assert.Equal("news", upstream.Out.TrimEnd());
        Assert.True(DateTimeOffset.TryParse(created.Out.TrimEnd(), System.Globalization.CultureInfo.InvariantCulture, out _), created.Out);
        Assert.True(JsonDocument.Parse(policy.Out).RootElement.GetProperty("read_only").GetBoolean());
    }

    [Fact]
    public async Task TokenIssue_WithAnUnknownField_ExitsTwo_NamesTheFields_AndIssuesNothing()
    {
        await using var cli = await PrepareAsync();

        var run = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "signup", "--field", "token_id");
        var list = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith(
            "error: unknown field 'token_id' for --field; the fields are id, token, name, upstream, created_at, policy",
            run.Error,
            StringComparison.Ordinal);
        Assert.Equal(0, list.GetArrayLength());
    }

    private static async Task<CliFixture> PrepareAsync()
    {
        var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        Assert.Equal(0, (await cli.PipeAsync(Key, "upstream", "add", "news", "--kind", "marketing", "--no-verify")).ExitCode);
        return cli;
    }
}
