using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>scan</c> finding a stored key opens its rotation with reason leak, once, or names the command when it cannot.</summary>
public sealed class ScanLeakRotationTests : CliTestBase
{
    [Fact]
    public async Task StoredKeyInAFile_OpensALeakRotation_ByTheScanner_WithTheLocationInItsHistory()
    {
        await Cli.InitAsync();
        var (_, key) = await Cli.AddSandboxUpstreamAsync("newsletter");
        var file = WriteLeak("app.env", $"# mail\nMAILCHIMP_KEY={key}\n");

        var scan = await Cli.RunAsync("scan", Scratch);
        var status = await RotationAsync("newsletter");

        Assert.True(scan.ExitCode == 1, scan.All);
        Assert.Matches(@"Leak rotation rot_\w+ of 'newsletter' opened", scan.Out);
        Assert.Contains("https://us21.admin.mailchimp.com/account/api/", scan.Out, StringComparison.Ordinal);
        Assert.Contains("next: keywarden rotate submit newsletter --key-file FILE", scan.Out, StringComparison.Ordinal);
        Assert.Equal("leak", status.GetProperty("reason").GetString());
        Assert.Equal("awaiting-new-key", status.GetProperty("state").GetString());
        Assert.Equal($"found by keywarden scan at {file}:2:15", status.GetProperty("note").GetString());
        var opened = status.GetProperty("history")[0];
        Assert.Equal("scanner", opened.GetProperty("actor").GetString());
        Assert.Contains($"{file}:2:15", opened.GetProperty("why").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAVault_TheScanReports_AndWritesNothing()
    {
        var (_, _, key) = await Cli.CreateKeyAsync("marketing");
        WriteLeak("app.env", $"MAILCHIMP_KEY={key}\n");
        var data = Path.Combine(Cli.DataDirectory, "never-initialised");
        Cli.Environment["KEYWARDEN_DATA"] = data;

        var scan = await Cli.RunAsync("scan", Scratch);

        Assert.True(scan.ExitCode == 1, scan.All);
        Assert.Contains("mailchimp-marketing-key", scan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("rotation", scan.All, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(data)); // no vault created, nothing opened
    }

    [Fact]
    public async Task SecondScan_OpensNoOtherRotation_AndSaysOneIsOpen_InTextAndJson()
    {
        await Cli.InitAsync();
        var (_, key) = await Cli.AddSandboxUpstreamAsync("newsletter");
        WriteLeak("app.env", $"MAILCHIMP_KEY={key}\n");

        await Cli.RunAsync("scan", Scratch);
        var first = (await RotationAsync("newsletter")).GetProperty("id").GetString();
        var again = await Cli.RunAsync("scan", Scratch);
        var json = await Cli.RunAsync("scan", Scratch, "--format", "json");

        Assert.True(again.ExitCode == 1, again.All);
        Assert.Contains($"Rotation {first} of 'newsletter' is already open (leak, awaiting-new-key); no new one opened", again.Out, StringComparison.Ordinal);
        Assert.Equal(first, (await RotationAsync("newsletter")).GetProperty("id").GetString());
        var known = JsonDocument.Parse(json.Out).RootElement.GetProperty("findings")[0].GetProperty("known");
        Assert.Equal("already_open", known.GetProperty("rotation").GetProperty("status").GetString());
        Assert.Equal(first, known.GetProperty("rotation").GetProperty("id").GetString());
        Assert.Equal("keywarden rotate submit newsletter --key-file FILE", known.GetProperty("next_step").GetString());
        Assert.Contains("already open", json.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRotate_OpensNone_AndNamesTheCommand()
    {
        await Cli.InitAsync();
        var (_, key) = await Cli.AddSandboxUpstreamAsync("newsletter");
        WriteLeak("app.env", $"MAILCHIMP_KEY={key}\n");

        var scan = await Cli.RunAsync("scan", Scratch, "--no-rotate");
        var status = JsonDocument.Parse((await Cli.RunAsync("rotate", "status", "newsletter", "--json")).Out).RootElement.GetProperty("upstreams")[0];

        Assert.True(scan.ExitCode == 1, scan.All);
        Assert.Contains("The key of upstream 'newsletter' leaked: run: keywarden rotate start newsletter --reason leak", scan.Out, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("rotation").ValueKind);
    }

    [Fact]
    public async Task NoMasterKey_TheScanStillReports_AndPrintsTheOneCommandThatOpensTheRotation()
    {
        await Cli.InitAsync();
        var (_, key) = await Cli.AddSandboxUpstreamAsync("newsletter");
        var file = WriteLeak("app.env", $"MAILCHIMP_KEY={key}\n");
        Cli.Environment["KEYWARDEN_MASTER_KEY_FILE"] = Path.Combine(Scratch, "not-here.key");

        var scan = await Cli.RunAsync("scan", Scratch);
        var sarif = await Cli.RunAsync("scan", Scratch, "--format", "sarif");
        Cli.Environment.Remove("KEYWARDEN_MASTER_KEY_FILE");

        Assert.True(scan.ExitCode == 1, scan.All);
        Assert.Contains("Could not open the leak rotation of 'newsletter'", scan.Out, StringComparison.Ordinal);
        Assert.Contains($"Open it yourself: keywarden rotate start newsletter --reason leak --note 'found by keywarden scan at {file}:1:15'", scan.Out, StringComparison.Ordinal);
        var properties = JsonDocument.Parse(sarif.Out).RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("properties");
        Assert.Equal("not_opened", properties.GetProperty("rotation").GetString());
        Assert.StartsWith("keywarden rotate start newsletter --reason leak --note ", properties.GetProperty("nextStep").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await RotationStatusAsync("newsletter")).GetProperty("rotation").ValueKind);
    }

    [Fact]
    public async Task Canary_TheLeakedKeyIsInNoOutput_NoteOrAuditRecord()
    {
        await Cli.InitAsync();
        var (_, key) = await Cli.AddSandboxUpstreamAsync("newsletter");
        WriteLeak("app.env", $"MAILCHIMP_KEY={key}\n");

        var runs = new List<CliRun>
        {
            await Cli.RunAsync("scan", Scratch),
            await Cli.RunAsync("scan", Scratch, "--format", "json"),
            await Cli.RunAsync("scan", Scratch, "--format", "sarif"),
            await Cli.RunAsync("rotate", "status", "--json"),
            await Cli.RunAsync("audit", "export"),
        };

        Assert.Contains("found by keywarden scan at", runs[3].Out, StringComparison.Ordinal);
        Assert.Contains("scanner", runs[4].Out, StringComparison.Ordinal);
        foreach (var run in runs)
        {
            Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
        }
    }

    private string WriteLeak(string name, string text)
    {
        var path = Path.Combine(Scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<JsonElement> RotationStatusAsync(string upstream)
    {
        var run = await Cli.RunAsync("rotate", "status", upstream, "--json");
        Assert.True(run.ExitCode == 0, run.All);
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("upstreams")[0];
    }

    private async Task<JsonElement> RotationAsync(string upstream) => (await RotationStatusAsync(upstream)).GetProperty("rotation");
}
