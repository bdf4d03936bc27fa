namespace Keywarden.Cli.Tests.Commands;

public sealed class SecretArgumentTests
{
    private const string MarketingCanary = "c0ffee00c0ffee00c0ffee00c0ffee01-us21";

    [Theory]
    [InlineData("upstream", "add", "news", "--kind", "marketing", MarketingCanary)]
    [InlineData("upstream", "add", "news", "--kind", "marketing", "--key", MarketingCanary)]
    [InlineData("upstream", "add", "news", "--kind", "marketing", "--key=" + MarketingCanary)]
    [InlineData("upstream", "add", "news", "--kind", "transactional", "md-Ab3dEfGh1jKlMn0pQrStUv")]
    [InlineData("upstream", "add", "news", "--kind", "transactional", "Ab3dEfGh1jKlMn0pQrStUv")]
    public async Task UpstreamAdd_KeyOnTheCommandLine_IsRefusedWithAdviceAndNeverEchoed(params string[] args)
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var run = await cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("stdin", run.Error, StringComparison.Ordinal);
        Assert.Contains("--key-file", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("c0ffee00", run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Ab3dEfGh", run.All, StringComparison.Ordinal);
        Assert.Contains("No upstreams", (await cli.RunAsync("upstream", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_WithAGatewayTokenInArguments_IsRefused()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var token = Core.Tokens.GatewayToken.Generate().Value;

        var run = await cli.RunAsync("token", "revoke", token);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(token[3..], run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTokenOption_TakesATokensId_ButNeverATokenOrAnythingElse()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var token = Core.Tokens.GatewayToken.Generate().Value;

        var byId = await cli.RunAsync("alerts", "list", "--token", "tok_7gq2m0x4k9c1");
        var byIdJoined = await cli.RunAsync("alerts", "list", "--token=tok_7gq2m0x4k9c1");
        var byToken = await cli.RunAsync("alerts", "list", "--token", token);
        var byTokenJoined = await cli.RunAsync("alerts", "list", "--token=" + token);
        var byKey = await cli.RunAsync("alerts", "list", "--token", MarketingCanary);
        var last = await cli.RunAsync("alerts", "list", "--token");

        Assert.Equal((0, 0), (byId.ExitCode, byIdJoined.ExitCode));
        foreach (var refused in new[] { byToken, byTokenJoined, byKey, last })
        {
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("refusing --token: it takes a token's id", refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(token[3..], refused.All, StringComparison.Ordinal);
            Assert.DoesNotContain("c0ffee00", refused.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithTwo()
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.RunAsync("frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("frobnicate", run.Error, StringComparison.Ordinal);
    }
}
