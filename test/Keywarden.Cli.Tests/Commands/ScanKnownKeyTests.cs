using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

public sealed class ScanKnownKeyTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kw-scan-known-").FullName;
    private CliFixture _cli = null!;

    public async ValueTask InitializeAsync() => _cli = await CliFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _cli.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task StoredKey_IsNamedInEveryFormat_WithTheRotateAdvice_AndNeverShown()
    {
        await _cli.InitAsync();
        var (_, key) = await _cli.AddSandboxUpstreamAsync("newsletter");
        var (_, _, stranger) = await _cli.CreateKeyAsync("marketing");
        File.WriteAllText(Path.Combine(_directory, "leak.py"), $"A = '{key}'\nB = '{stranger}'\n");

        var text = await _cli.RunAsync("scan", _directory);
        var json = await _cli.RunAsync("scan", _directory, "--format", "json");
        var sarif = await _cli.RunAsync("scan", _directory, "--format", "sarif");

        Assert.True(text.ExitCode == 1, text.All);
        var lines = text.Out.Split('\n');
        Assert.EndsWith("known: upstream newsletter (current key)", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("known:", lines[1], StringComparison.Ordinal);
        Assert.Contains("upstream newsletter's key leaked: run `keywarden rotate start newsletter --reason leak`", text.Out, StringComparison.Ordinal);
        var findings = JsonDocument.Parse(json.Out).RootElement.GetProperty("findings");
        Assert.Equal("newsletter", findings[0].GetProperty("known").GetProperty("upstream").GetString());
        Assert.Equal("current", findings[0].GetProperty("known").GetProperty("key").GetString());
        Assert.False(findings[1].TryGetProperty("known", out _));
        var result = JsonDocument.Parse(sarif.Out).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal("newsletter", result.GetProperty("properties").GetProperty("knownUpstream").GetString());
        Assert.Contains("keywarden rotate start newsletter --reason leak", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        foreach (var run in new[] { text, json, sarif })
        {
            Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
            Assert.DoesNotContain(stranger[4..], run.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NoDataDirectory_ScanStillWorks()
    {
        _cli.Environment["KEYWARDEN_DATA"] = Path.Combine(_directory, "never-created");
        var (_, _, key) = await _cli.CreateKeyAsync("marketing");
        File.WriteAllText(Path.Combine(_directory, "leak.py"), key);

        var run = await _cli.RunAsync("scan", _directory);

        Assert.True(run.ExitCode == 1, run.All);
        Assert.DoesNotContain("known:", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
        Assert.False(Directory.Exists(Path.Combine(_directory, "never-created")));
    }
}
