using System.Text.Json;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>scan</c> finding a decoy token of the vault: reported as a decoy in every format, and no rotation opened.</summary>
public sealed class ScanDecoyTests : CliTestBase
{
    [Fact]
    public async Task DecoyInAFile_IsReportedAsADecoy_InTextJsonAndSarif_AndOpensNoRotation()
    {
        await Cli.InitAsync();
        await Cli.AddSandboxUpstreamAsync("newsletter");
        var issued = JsonDocument.Parse((await Cli.RunAsync("token", "decoy", "--upstream", "newsletter", "--name", "wiki page", "--json")).Out).RootElement;
        var (id, decoy) = (issued.GetProperty("id").GetString()!, issued.GetProperty("token").GetString()!);
        var real = JsonDocument.Parse((await Cli.RunAsync("token", "issue", "--upstream", "newsletter", "--name", "app", "--json")).Out)
            .RootElement.GetProperty("token").GetString()!;
        await File.WriteAllTextAsync(Path.Combine(Scratch, "ci.env"), $"MAILCHIMP_API_KEY={decoy}\nOTHER={real}\n", TestContext.Current.CancellationToken);

        var text = await Cli.RunAsync("scan", Scratch);
        var json = await Cli.RunAsync("scan", Scratch, "--format", "json");
        var sarif = await Cli.RunAsync("scan", Scratch, "--format", "sarif");
        var rotations = JsonDocument.Parse((await Cli.RunAsync("rotate", "status", "newsletter", "--json")).Out).RootElement.GetProperty("upstreams")[0];

        Assert.True(text.ExitCode == 1, text.All); // still a finding: a baseline silences it where it is meant to be
        Assert.Contains($"ci.env:1:19  keywarden-token  kw_", text.Out, StringComparison.Ordinal);
        Assert.Contains($"decoy token {id} (planted on purpose)", text.Out, StringComparison.Ordinal);
        Assert.Contains($"{id} ('wiki page') is a decoy, planted on purpose: nothing to rotate", text.Out, StringComparison.Ordinal);
        Assert.Single(text.Out.Split('\n'), line => line.Contains("planted on purpose)", StringComparison.Ordinal)); // the real token is no decoy
        Assert.DoesNotContain(decoy, text.All + json.All + sarif.All, StringComparison.Ordinal);
        var findings = JsonDocument.Parse(json.Out).RootElement.GetProperty("findings");
        Assert.Equal(id, findings[0].GetProperty("decoy").GetProperty("token_id").GetString());
        Assert.False(findings[0].TryGetProperty("known", out _));
        Assert.False(findings[1].TryGetProperty("decoy", out _));
        var result = JsonDocument.Parse(sarif.Out).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal(id, result.GetProperty("properties").GetProperty("decoyTokenId").GetString());
        Assert.Contains("planted on purpose", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, rotations.GetProperty("rotation").ValueKind);
        Assert.DoesNotContain("rotation", text.All, StringComparison.OrdinalIgnoreCase);
        Assert.True(GatewayToken.IsValid(decoy));
    }
}
