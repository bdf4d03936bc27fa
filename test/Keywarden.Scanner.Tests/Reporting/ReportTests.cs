using System.Text.Json;
using Keywarden.Mailchimp;
using Keywarden.Testing;

namespace Keywarden.Scanner.Tests.Reporting;

public sealed class ReportTests
{
    [Theory]
    [InlineData(ScanFormat.Text)]
    [InlineData(ScanFormat.Json)]
    [InlineData(ScanFormat.Sarif)]
    public async Task EveryFormat_NeverContainsASecret_UnlessNoRedact(ScanFormat format)
    {
        using var temp = new TempDirectory();
        var corpus = CorpusTests.BuildCorpus(temp, new FakeSecrets(99));
        var result = await ScanHarness.ScanAsync(temp.Path);
        Assert.NotEmpty(result.Findings);

        var redacted = ScanReportWriter.Render(result, format);
        var unredacted = ScanReportWriter.Render(result, format, redact: false);

        foreach (var secret in corpus.Secrets)
        {
            // Not even the part after the four visible characters.
            Assert.DoesNotContain(secret[4..], redacted, StringComparison.Ordinal);
        }

        Assert.All(result.Findings, f => Assert.Contains(f.Secret, unredacted, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Findings[0].Secret, result.Findings[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_HasThe210ShapeAndOneResultPerFinding()
    {
        using var temp = new TempDirectory();
        var fake = new FakeSecrets(5);
        temp.Write("a/b.txt", $"x\n  {fake.Marketing()}\n{fake.Token()}");
        var result = await ScanHarness.ScanAsync(temp.Path);

        using var sarif = JsonDocument.Parse(ScanReportWriter.Render(result, ScanFormat.Sarif));

        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.StartsWith("https://", root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("keywarden", driver.GetProperty("name").GetString());
        Assert.Equal(
            [MailchimpScanRules.MarketingKey, MailchimpScanRules.TransactionalKey, ScanRules.KeywardenToken, ScanRules.KeywardenSession, ScanRules.KeywardenMachineCredential, ScanRules.KeywardenInvitation],
            driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        var first = results[0];
        Assert.Equal(MailchimpScanRules.MarketingKey, first.GetProperty("ruleId").GetString());
        Assert.Equal("error", first.GetProperty("level").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetProperty("text").GetString()));
        var location = first.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("a/b.txt", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(2, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(3, location.GetProperty("region").GetProperty("startColumn").GetInt32());
        Assert.Equal(result.Findings[0].Fingerprint, first.GetProperty("partialFingerprints").GetProperty("keywarden/v1").GetString());
    }

    [Fact]
    public async Task Text_ListsPathLineColumnRuleAndRedactedSecret_ThenASummary()
    {
        using var temp = new TempDirectory();
        var key = new FakeSecrets(8).Marketing();
        temp.Write("k.env", "KEY=" + key + "\n");

        var text = ScanReportWriter.Render(await ScanHarness.ScanAsync(temp.Path), ScanFormat.Text);

        Assert.Equal(
            $"k.env:1:5  mailchimp-marketing-key  {key[..4]}…({key.Length})\n1 secret found in 1 file (1 files, {key.Length + 5} bytes scanned)\n",
            text);
    }

    [Fact]
    public void Fingerprint_IsSha256OfRuleAndSecret()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("keywarden-token:kw_x"u8));

        Assert.Equal(expected, Finding.ComputeFingerprint("keywarden-token", "kw_x"));
    }

    [Fact]
    public async Task Baseline_WrittenThenLoaded_SuppressesExactlyThoseFindings()
    {
        using var temp = new TempDirectory();
        var fake = new FakeSecrets(11);
        temp.Write("old.txt", fake.Marketing());
        var before = await ScanHarness.ScanAsync(temp.Path);
        var baselinePath = Path.Combine(temp.Path, "..", Path.GetFileName(temp.Path) + ".baseline.json");
        await Baseline.WriteAsync(baselinePath, before.Findings, TestContext.Current.CancellationToken);
        temp.Write("new.txt", fake.Token());

        try
        {
            var baseline = await Baseline.LoadAsync(baselinePath, TestContext.Current.CancellationToken);
            var after = await ScanHarness.ScanAsync(temp.Path, baseline);

            var finding = Assert.Single(after.Findings);
            Assert.Equal("new.txt", finding.Path);
            Assert.Equal(1, after.SuppressedByBaseline);
        }
        finally
        {
            File.Delete(baselinePath);
        }
    }
}
