using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

public sealed class ScanKnownKeyTests : CliTestBase
{
    [Fact]
    public async Task StoredKey_IsNamedInEveryFormat_WithTheRotateAdvice_AndNeverShown()
    {
        await Cli.InitAsync();
        var (_, key) = await Cli.AddSandboxUpstreamAsync("newsletter");
        var (_, _, stranger) = await Cli.CreateKeyAsync("marketing");
        File.WriteAllText(Path.Combine(Scratch, "leak.py"), $"A = '{key}'\nB = '{stranger}'\n");

        var text = await Cli.RunAsync("scan", Scratch, "--no-rotate");
        var json = await Cli.RunAsync("scan", Scratch, "--format", "json", "--no-rotate");
        var sarif = await Cli.RunAsync("scan", Scratch, "--format", "sarif", "--no-rotate");

        Assert.True(text.ExitCode == 1, text.All);
        var lines = text.Out.Split('\n');
        Assert.EndsWith("known: upstream newsletter (current key)", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("known:", lines[1], StringComparison.Ordinal);
        Assert.Contains("The key of upstream 'newsletter' leaked: run: keywarden rotate start newsletter --reason leak", text.Out, StringComparison.Ordinal);
        var findings = JsonDocument.Parse(json.Out).RootElement.GetProperty("findings");
        Assert.Equal("newsletter", findings[0].GetProperty("known").GetProperty("upstream").GetString());
        Assert.Equal("current", findings[0].GetProperty("known").GetProperty("key_slot").GetString());
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
        Cli.Environment["KEYWARDEN_DATA"] = Path.Combine(Scratch, "never-created");
        var (_, _, key) = await Cli.CreateKeyAsync("marketing");
        File.WriteAllText(Path.Combine(Scratch, "leak.py"), key);

        var run = await Cli.RunAsync("scan", Scratch);

        Assert.True(run.ExitCode == 1, run.All);
        Assert.DoesNotContain("known:", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
        Assert.False(Directory.Exists(Path.Combine(Scratch, "never-created")));
    }
}
