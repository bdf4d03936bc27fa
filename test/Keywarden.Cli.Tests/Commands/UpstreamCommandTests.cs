using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

public sealed class UpstreamCommandTests
{
    [Fact]
    public async Task Init_CreatesDatabaseAndOwnerOnlyKeyFile_AndWarnsItSitsBesideTheData()
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.InitAsync();

        var keyFile = Path.Combine(cli.DataDirectory, "master.key");
        Assert.True(File.Exists(Path.Combine(cli.DataDirectory, "keywarden.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Contains("warning", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_Twice_IsRefusedAndKeepsTheMasterKey()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var keyFile = Path.Combine(cli.DataDirectory, "master.key");
        var before = await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken);

        var run = await cli.RunAsync("init");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("already initialised", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnyCommand_BeforeInit_SaysToRunInit()
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.RunAsync("upstream", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("keywarden init", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamAdd_FromStdin_VerifiesAgainstSandboxAndListsOnlyPrefixAndLabel()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (accountId, _, key) = await cli.CreateKeyAsync("marketing", "us7");

        var add = await cli.PipeAsync(key + "\n", "upstream", "add", "news", "--kind", "marketing", "--key-name", "prod newsletter", "--base-url", cli.Sandbox.BaseAddress.ToString());
        var list = await cli.RunAsync("upstream", "list", "--json");

        Assert.Equal(0, add.ExitCode);
        Assert.Contains(accountId, add.Out, StringComparison.Ordinal);
        var row = JsonDocument.Parse(list.Out).RootElement.GetProperty("upstreams")[0];
        Assert.Equal("news", row.GetProperty("name").GetString());
        Assert.Equal("us7", row.GetProperty("datacenter").GetString());
        Assert.Equal(key[..4], row.GetProperty("key_prefix").GetString());
        Assert.Equal("prod newsletter", row.GetProperty("key_name").GetString());
        Assert.Equal(accountId, row.GetProperty("account_id").GetString());
        Assert.DoesNotContain(key[4..12], add.All + list.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamAdd_TransactionalKeyFromFile_IsVerifiedWithUsersInfo()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, _, key) = await cli.CreateKeyAsync("transactional");
        var keyFile = Path.Combine(cli.DataDirectory, "key.txt");
        await File.WriteAllTextAsync(keyFile, key, TestContext.Current.CancellationToken);

        var add = await cli.RunAsync("upstream", "add", "receipts", "--kind", "transactional", "--key-file", keyFile, "--base-url", cli.Sandbox.BaseAddress.ToString());
        var verify = await cli.RunAsync("upstream", "verify", "receipts");

        Assert.Equal(0, add.ExitCode);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("works", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamAdd_RevokedKey_IsRefusedAndNothingIsStored()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, keyId, key) = await cli.CreateKeyAsync("marketing");
        await cli.RevokeKeyAsync(keyId);

        var add = await cli.PipeAsync(key, "upstream", "add", "news", "--kind", "marketing", "--base-url", cli.Sandbox.BaseAddress.ToString());

        Assert.Equal(2, add.ExitCode);
        Assert.Contains("refused", add.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was stored", add.Error, StringComparison.Ordinal);
        Assert.Contains("No upstreams", (await cli.RunAsync("upstream", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamVerify_AfterTheKeyIsRevokedInMailchimp_ExitsWithOne()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (keyId, _) = await cli.AddSandboxUpstreamAsync("news");
        await cli.RevokeKeyAsync(keyId);

        var verify = await cli.RunAsync("upstream", "verify", "news", "--json");

        Assert.Equal(1, verify.ExitCode);
        Assert.Equal("invalid", JsonDocument.Parse(verify.Out).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UpstreamAdd_UnreachableUpstream_FailsUnlessNoVerify()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        const string key = "0123456789abcdef0123456789abcdef-us3";

        var verified = await cli.PipeAsync(key, "upstream", "add", "news", "--kind", "marketing", "--base-url", "http://127.0.0.1:9/");
        var unverified = await cli.PipeAsync(key, "upstream", "add", "news", "--kind", "marketing", "--base-url", "http://127.0.0.1:9/", "--no-verify");

        Assert.Equal(2, verified.ExitCode);
        Assert.Contains("--no-verify", verified.Error, StringComparison.Ordinal);
        Assert.Equal(0, unverified.ExitCode);
    }

    [Theory]
    [InlineData("", "no API key")]
    [InlineData("not-a-key", "not a Mailchimp Marketing API key")]
    [InlineData("0123456789abcdef0123456789abcdef-us3\n0123456789abcdef0123456789abcdef-us4", "exactly one")]
    public async Task UpstreamAdd_BadInput_ExplainsInOneLine(string stdin, string expected)
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var run = await cli.PipeAsync(stdin, "upstream", "add", "news", "--kind", "marketing", "--no-verify");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task UpstreamAdd_SameKeyTwice_IsRefused()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        const string key = "0123456789abcdef0123456789abcdef-us3";
        await cli.PipeAsync(key, "upstream", "add", "a", "--kind", "marketing", "--no-verify");

        var again = await cli.PipeAsync(key, "upstream", "add", "b", "--kind", "marketing", "--no-verify");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already stored as upstream 'a'", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamRemove_RevokesItsTokens()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.PipeAsync("0123456789abcdef0123456789abcdef-us3", "upstream", "add", "news", "--kind", "marketing", "--no-verify");
        await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "app");

        var remove = await cli.RunAsync("upstream", "remove", "news");
        var tokens = JsonDocument.Parse((await cli.RunAsync("token", "list", "--json")).Out).RootElement.GetProperty("tokens");

        Assert.Equal(0, remove.ExitCode);
        Assert.Contains("1 token(s) revoked", remove.Out, StringComparison.Ordinal);
        Assert.Equal("revoked", tokens[0].GetProperty("state").GetString());
    }
}
