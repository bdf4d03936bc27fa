namespace Keywarden.Cli.Tests.Configuration;

/// <summary>
/// serve's options from the environment and a config file, in that order below the command line. Each case ends on a
/// refusal that names the listen address that won (a plain http listener other machines can reach), so nothing starts.
/// </summary>
public sealed class ConfigurationLayerTests : CliTestBase
{
    [Fact]
    public async Task TheCommandLine_WinsOverTheEnvironment_WhichWinsOverTheFile()
    {
        await Cli.InitAsync();
        var file = WriteConfig("""{ "serve": { "listen": ["http://0.0.0.0:1001"] } }""");
        Cli.Environment["KEYWARDEN_LISTEN"] = "http://0.0.0.0:1002";

        var commandLine = await Cli.RunAsync("serve", "--config", file, "--listen", "http://0.0.0.0:1003");
        var environment = await Cli.RunAsync("serve", "--config", file);
        Cli.Environment.Remove("KEYWARDEN_LISTEN");
        var fromFile = await Cli.RunAsync("serve", "--config", file);

        Assert.Equal([2, 2, 2], new[] { commandLine.ExitCode, environment.ExitCode, fromFile.ExitCode });
        Assert.StartsWith("error: refusing to serve the API on http://0.0.0.0:1003 ", commandLine.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: refusing to serve the API on http://0.0.0.0:1002 ", environment.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: refusing to serve the API on http://0.0.0.0:1001 ", fromFile.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConfigFile_CanBeNamedByKeywardenConfig_AndARepeatableOptionTakesAListFromOneVariable()
    {
        await Cli.InitAsync();
        Cli.Environment["KEYWARDEN_CONFIG"] = WriteConfig("""{ "serve": { "listen": "http://0.0.0.0:1001", "allow-plaintext": false } }""");

        var fromFile = await Cli.RunAsync("serve");
        Cli.Environment["KEYWARDEN_LISTEN"] = "http://127.0.0.1:0, http://0.0.0.0:1004";
        var list = await Cli.RunAsync("serve");

        Assert.StartsWith("error: refusing to serve the API on http://0.0.0.0:1001 ", fromFile.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: refusing to serve the API on http://0.0.0.0:1004 ", list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadValue_GetsTheOptionsOwnError_NamingWhereItCameFrom()
    {
        await Cli.InitAsync();
        var onCommandLine = await Cli.RunAsync("serve", "--max-body", "lots");
        Cli.Environment["KEYWARDEN_MAX_BODY"] = "lots";
        var fromEnvironment = await Cli.RunAsync("serve");
        Cli.Environment.Remove("KEYWARDEN_MAX_BODY");
        var file = WriteConfig("""{ "serve": { "log-format": "xml" } }""");
        var fromFile = await Cli.RunAsync("serve", "--config", file);
        var xmlOnCommandLine = await Cli.RunAsync("serve", "--log-format", "xml");

        Assert.Equal([2, 2, 2], new[] { onCommandLine.ExitCode, fromEnvironment.ExitCode, fromFile.ExitCode });
        var optionError = onCommandLine.Error.Split('\n')[0]["error: ".Length..];
        Assert.Equal($"error: KEYWARDEN_MAX_BODY: {optionError}", fromEnvironment.Error.Trim());
        Assert.StartsWith($"error: \"log-format\" in config file '{file}': {xmlOnCommandLine.Error.Split('\n')[0]["error: ".Length..]}", fromFile.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "serve": { "lisen": "http://127.0.0.1:0" } }""", "error: unknown key 'lisen' in the \"serve\" section of config file '{0}' (did you mean 'listen'?)")]
    [InlineData("""{ "server": { } }""", "error: unknown key 'server' in config file '{0}' (the only section is \"serve\")")]
    [InlineData("""{ "serve": { "max-body": [1, 2] } }""", "error: \"max-body\" in config file '{0}': --max-body takes one value, not a list")]
    [InlineData("""{ "serve": """, "error: config file '{0}' is not valid JSON: ")]
    public async Task AConfigFileWithAnUnknownKeyOrAWrongShape_IsRefusedWithExitCode2_NamingTheKey(string json, string expected)
    {
        await Cli.InitAsync();
        var file = WriteConfig(json);

        var run = await Cli.RunAsync("serve", "--config", file);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file), run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingConfigFile_IsRefused()
    {
        await Cli.InitAsync();
        var missing = Path.Combine(Scratch, "absent.json");

        var run = await Cli.RunAsync("serve", "--config", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: config file '{missing}' not found", run.Error.Trim());
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(Scratch, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
