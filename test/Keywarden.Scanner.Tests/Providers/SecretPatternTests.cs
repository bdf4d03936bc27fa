using System.Text.Json;
using Keywarden.Core.Providers;
using Keywarden.Mailchimp;

namespace Keywarden.Scanner.Tests.Providers;

/// <summary>The scanner finds what the APIs' secret patterns describe, a third API's included, and nothing else.</summary>
public sealed class SecretPatternTests
{
    // FAKE: made-up keys of the made-up API.
    private const string LiveKey = "zq_live_0f1e2d3c4b5a69788796a5b4";
    private const string BareKey = "Q7vKd2PmX9tR4wLb8NcJs3";

    private static readonly UpstreamApiCatalog WithThirdApi = new([.. MailchimpApis.Catalog.All, new ThirdApi()]);

    [Fact]
    public async Task AThirdApisKeys_AreFound_FromItsPatternsAlone()
    {
        var fake = new FakeSecrets(3);
        var marketing = fake.Marketing();
        var text = $"""
            ZEQUAL_KEY={LiveKey}
            mailchimp = "{marketing}"
            zequal_token: {BareKey}
            not near its word: {BareKey}
            """;

        var result = await ScanAsync(text, WithThirdApi);

        Assert.Equal(
            [(1L, ThirdApi.PrefixedRule, LiveKey), (2L, MailchimpScanRules.MarketingKey, marketing), (3L, ThirdApi.BareRule, BareKey)],
            result.Findings.Select(f => (f.Line, f.RuleId, f.Secret)));
        Assert.Equal(
            [MailchimpScanRules.MarketingKey, MailchimpScanRules.TransactionalKey, ThirdApi.PrefixedRule, ThirdApi.BareRule, ScanRules.KeywardenToken,
                ScanRules.KeywardenSession, ScanRules.KeywardenMachineCredential, ScanRules.KeywardenInvitation],
            result.Rules.Select(r => r.Id));
        Assert.Equal("Zequal live key", result.Describe(ThirdApi.PrefixedRule));

        using var sarif = JsonDocument.Parse(ScanReportWriter.Render(result, ScanFormat.Sarif));
        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("id").GetString() == ThirdApi.BareRule);
    }

    [Fact]
    public async Task WithoutTheThirdApi_ItsKeysAreNotFound()
    {
        var result = await ScanAsync($"ZEQUAL_KEY={LiveKey}\nzequal_token: {BareKey}\n", MailchimpApis.Catalog);

        Assert.Empty(result.Findings);
        Assert.DoesNotContain(result.Rules, r => r.Id.StartsWith("zequal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AThirdApisPlaceholders_AndAllowedLines_AreSkippedLikeMailchimps()
    {
        var text = $"""
            example: zq_live_000000000000000000000000
            ZEQUAL_KEY={LiveKey} # keywarden:allow
            """;

        var result = await ScanAsync(text, WithThirdApi);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.PlaceholdersSkipped);
    }

    [Fact]
    public async Task ContextPatterns_KeepTheirOwnKeywords()
    {
        // The same 22 characters are a Zequal key beside its word and a Mandrill key beside Mandrill's, never both.
        var text = $"""
            zequal: {BareKey}
            x
            y
            z
            mandrill: {BareKey}
            """;

        var result = await ScanAsync(text, WithThirdApi);

        Assert.Equal(
            [(1L, ThirdApi.BareRule), (5L, MailchimpScanRules.TransactionalKey)],
            result.Findings.Select(f => (f.Line, f.RuleId)));
    }

    [Fact]
    public async Task AKeySpanningTwoChunks_IsFoundOnce()
    {
        var text = new string(' ', 100) + LiveKey + "\n";

        var result = await SecretScanner.ScanAsync(
            new ScanRequest { Targets = ["-"], StandardInput = new StringReader(text), Apis = WithThirdApi, ChunkChars = 110 },
            cancellationToken: TestContext.Current.CancellationToken);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((ThirdApi.PrefixedRule, 101L), (finding.RuleId, finding.Column));
    }

    [Fact]
    public void Patterns_OutsideWhatTheScannerSupports_AreRefusedWhenBuilt()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TooLongPattern());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TooShortContextPattern());
    }

    private static Task<ScanResult> ScanAsync(string text, UpstreamApiCatalog apis) =>
        SecretScanner.ScanAsync(
            new ScanRequest { Targets = ["-"], StandardInput = new StringReader(text), Apis = apis },
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>64 characters: longer than the look-ahead a chunk carries.</summary>
    private sealed class TooLongPattern() : AnchoredSecretPattern("too-long", "too long", "tl_", 64)
    {
        public override bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length) =>
            throw new NotSupportedException();
    }

    /// <summary>16 characters: shorter than the run search supports.</summary>
    private sealed class TooShortContextPattern() : ContextSecretPattern("too-short", "too short", 16, ["word"], 0)
    {
        public override bool IsCandidate(ReadOnlySpan<char> candidate) => true;
    }
}
