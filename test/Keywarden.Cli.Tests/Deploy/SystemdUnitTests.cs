using System.Globalization;
using System.Text.RegularExpressions;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Deploy;

/// <summary>deploy/systemd/keywarden.service: a unit systemd accepts, and as confined as systemd can measure.</summary>
public sealed partial class SystemdUnitTests : CliTestBase
{
    /// <summary>systemd's own exposure score, 0 (confined) to 10 (none). The unit scores 1.2; 2.0 leaves no room for a lost setting.</summary>
    private const double MaxExposure = 2.0;

    private static readonly string Unit = Path.Combine(RepositoryRoot.Path, "deploy", "systemd", "keywarden.service");

    [Fact]
    public async Task TheUnit_PassesSystemdAnalyzeVerify()
    {
        // verify checks that ExecStart's program exists and runs: point it at the keywarden built beside the tests.
        var unit = Path.Combine(Scratch, "keywarden.service");
        var text = await File.ReadAllTextAsync(Unit, TestContext.Current.CancellationToken);
        Assert.Contains("ExecStart=/usr/bin/keywarden serve\n", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("/usr/bin/keywarden", CliFixture.SelfCommand[0], StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var verify = await SystemdAnalyzeAsync("verify", unit);

        Assert.True(verify.ExitCode == 0 && verify.Error.Trim().Length == 0, $"exit {verify.ExitCode}: {verify.Error}");
    }

    [Fact]
    public async Task TheUnitsExposureScore_IsBelowTheThreshold()
    {
        var security = await SystemdAnalyzeAsync("security", "--offline=yes", Unit);

        Assert.True(security.ExitCode == 0, security.Error);
        var score = double.Parse(ExposureLine().Match(security.Out).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(score < MaxExposure, $"exposure {score} is not below {MaxExposure}:\n{security.Out}");
    }

    [Theory]
    [InlineData("DynamicUser=yes")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=yes")]
    [InlineData("PrivateTmp=yes")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("CapabilityBoundingSet=")]
    [InlineData("RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX")]
    [InlineData("SystemCallFilter=@system-service")]
    [InlineData("StateDirectory=keywarden")]
    [InlineData("LoadCredential=master-key:/etc/keywarden/master.key")]
    [InlineData("Environment=KEYWARDEN_MASTER_KEY_FILE=%d/master-key")]
    [InlineData("Environment=KEYWARDEN_DATA=%S/keywarden")]
    public void TheUnit_SetsWhatTheServiceReliesOn(string line)
    {
        var lines = File.ReadAllLines(Unit);

        Assert.Contains(line, lines);
    }

    private static Task<ProgramOutput> SystemdAnalyzeAsync(params string[] arguments) =>
        ExternalProgram.RunAsync("systemd-analyze", arguments, Path.GetTempPath(), new Dictionary<string, string?> { ["SYSTEMD_COLORS"] = "0" }, TimeSpan.FromMinutes(1));

    [GeneratedRegex(@"Overall exposure level for keywarden\.service: (\d+\.\d)")]
    private static partial Regex ExposureLine();
}
