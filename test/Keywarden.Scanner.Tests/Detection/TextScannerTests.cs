using System.Text;
using Keywarden.Core.Operators;
using Keywarden.Mailchimp;
using Keywarden.Testing;

namespace Keywarden.Scanner.Tests.Detection;

public sealed class TextScannerTests
{
    private readonly FakeSecrets _fake = new(7);

    [Fact]
    public void MarketingKey_OnSecondLine_IsFoundAtItsLineAndColumn()
    {
        var key = _fake.Marketing();

        var finding = Assert.Single(ScanHarness.ScanText($"first\n  key={key}\n"));

        Assert.Equal((MailchimpScanRules.MarketingKey, key, 2L, 7L), (finding.RuleId, finding.Secret, finding.Line, finding.Column));
    }

    [Fact]
    public void Crlf_IsOneLineBreak_AndColumnsIgnoreTheCarriageReturn()
    {
        var token = _fake.Token();

        var finding = Assert.Single(ScanHarness.ScanText($"a\r\n\r\nxy {token}\r\n"));

        Assert.Equal((3L, 4L), (finding.Line, finding.Column));
    }

    [Theory]
    [InlineData("utf8-bom")]
    [InlineData("utf16le")]
    [InlineData("utf16be")]
    [InlineData("latin1")]
    public async Task EncodedFile_ReportsColumnsInCharactersOfTheDecodedLine(string encodingName)
    {
        using var temp = new TempDirectory();
        var key = _fake.Marketing();
        var text = $"ça va\r\nnaïve é {key}\n";
        byte[] bytes = encodingName switch
        {
            "utf8-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            "utf16le" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
            "utf16be" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => Encoding.Latin1.GetBytes(text),
        };
        temp.WriteBytes("f.txt", bytes);

        var result = await ScanHarness.ScanAsync(temp.Path);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("f.txt", 2L, 9L), (finding.Path, finding.Line, finding.Column));
        Assert.Equal(key, finding.Secret);
    }

    [Fact]
    public async Task Utf8Bom_IsNotCountedInColumns()
    {
        using var temp = new TempDirectory();
        var key = _fake.Marketing();
        temp.WriteBytes("bom.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(key)]);

        var finding = Assert.Single((await ScanHarness.ScanAsync(temp.Path)).Findings);

        Assert.Equal((1L, 1L), (finding.Line, finding.Column));
    }

    [Fact]
    public async Task FileWithNulBytes_IsSkippedAsBinary_UnlessIncluded()
    {
        using var temp = new TempDirectory();
        temp.WriteBytes("blob.bin", [.. Encoding.ASCII.GetBytes(_fake.Marketing() + "\n"), 0, 0]);

        var skipped = await ScanHarness.ScanAsync(temp.Path);
        var included = await ScanHarness.ScanAsync(temp.Path, includeBinary: true);

        Assert.Empty(skipped.Findings);
        Assert.Equal(1, skipped.BinaryFilesSkipped);
        Assert.Single(included.Findings);
    }

    [Fact]
    public void KeyAtEndOfText_WithoutNewline_IsFound()
    {
        var key = _fake.PrefixedTransactional();

        var finding = Assert.Single(ScanHarness.ScanText("x\n" + key));

        Assert.Equal((2L, 1L, key), (finding.Line, finding.Column, finding.Secret));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(1000)]
    public void SecretsAcrossEveryChunkBoundary_AreFoundOnceAtTheRightColumn(int chunkChars)
    {
        var secrets = new[] { _fake.Marketing(), _fake.PrefixedTransactional(), _fake.Token() };
        foreach (var secret in secrets)
        {
            for (var offset = chunkChars - secret.Length - 2; offset <= chunkChars + 2; offset++)
            {
                var text = new string('.', offset) + secret + new string('.', 3 * chunkChars);

                var finding = Assert.Single(ScanHarness.ScanText(text, chunkChars));

                Assert.Equal((1L, offset + 1L, secret), (finding.Line, finding.Column, finding.Secret));
            }
        }
    }

    [Fact]
    public void LongLine_OfSeveralMegabytes_FindsKeysThroughout()
    {
        var keys = Enumerable.Range(0, 20).Select(_ => _fake.Marketing()).ToList();
        var text = new StringBuilder();
        var columns = new List<long>();
        foreach (var key in keys)
        {
            text.Append(new string('a', 150_000)).Append(';');
            columns.Add(text.Length + 1);
            text.Append(key).Append(';');
        }

        var findings = ScanHarness.ScanText(text.ToString());

        Assert.Equal(columns, findings.Select(f => f.Column));
        Assert.All(findings, f => Assert.Equal(1, f.Line));
    }

    [Fact]
    public void BareKeyAtAChunkStart_KeepsTheKeywordAbove_WhenTheLookAheadHoldsAnotherBelow()
    {
        var key = _fake.BareTransactional();
        var text = "mandrill\n" + new string(' ', 55) + key + "\nmandrill\n" + new string('.', 200); // the key starts the second 64-char chunk

        var found = Assert.Single(ScanHarness.ScanText(text, chunkChars: 64));

        Assert.Equal((2L, 56L, key), (found.Line, found.Column, found.Secret));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(Scanner.Detection.TextScanner.DefaultChunkChars)]
    public void LongLine_KeywordChunksAfterABareKey_QualifiesIt_OnlyOnTheSameLine(int chunkChars)
    {
        var key = _fake.BareTransactional();
        var filler = string.Concat(Enumerable.Repeat("f(a,b);", 30_000)); // 210,000 characters, several chunks
        var sameLine = $"var k='{key}';{filler}new Mandrill(k);\nnext line";
        var nextLine = $"var k='{key}';{filler}\nnew Mandrill(k);";
        var twoKeys = $"a='{key}';b='{_fake.BareTransactional()}';{filler}mandrill";

        var found = Assert.Single(ScanHarness.ScanText(sameLine, chunkChars));

        Assert.Equal((1L, 8L, key), (found.Line, found.Column, found.Secret));
        Assert.Empty(ScanHarness.ScanText(nextLine, chunkChars));
        Assert.Equal(2, ScanHarness.ScanText(twoKeys, chunkChars).Count);
    }

    [Theory]
    [InlineData("x{0}")] // letter before
    [InlineData("9{0}")] // digit before
    [InlineData("{0}x")] // letter after
    [InlineData("{0}77")] // digits after (two: one more digit could make a two-digit datacenter)
    public void SecretGluedToALetterOrDigit_IsNotAFinding(string template)
    {
        foreach (var secret in new[] { _fake.Marketing(), _fake.PrefixedTransactional(), _fake.Token() })
        {
            Assert.Empty(ScanHarness.ScanText(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, secret)));
        }
    }

    [Fact]
    public void SecretBetweenUnderscoresOrDashes_IsFound()
    {
        var key = _fake.Marketing();

        Assert.Single(ScanHarness.ScanText($"prefix_{key}_suffix"));
    }

    [Fact]
    public void NearMisses_AreNotFindings()
    {
        var hex32 = _fake.Pick("0123456789abcdef", 32);
        var text = string.Join('\n',
            _fake.Pick("0123456789abcdef", 40),
            Guid.NewGuid().ToString(),
            hex32,
            hex32 + "-eu1",
            hex32 + "-us123",
            hex32.ToUpperInvariant() + "-us1",
            _fake.TokenWithWrongChecksum(),
            _fake.BareTransactional(),
            new string('0', 32) + "-us1",
            string.Concat(Enumerable.Repeat("deadbeef", 4)) + "-us1",
            "your-api-key-us1",
            "md-" + new string('x', 22),
            "md-YOUR_KEY_HERE_abc123456");

        Assert.Empty(ScanHarness.ScanText(text));
    }

    [Theory]
    [InlineData("xxxx")]
    [InlineData("Your")]
    [InlineData("EXAMPLE")]
    [InlineData("placeholder")]
    [InlineData("redacted")]
    [InlineData("changeme")]
    [InlineData("dummy")]
    [InlineData("Sample")]
    [InlineData("fake")]
    [InlineData("TEST")]
    public void TransactionalKeyContainingAPlaceholderWord_IsNotAFinding(string word)
    {
        var body = (word + _fake.Pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 22))[..22];

        Assert.Empty(ScanHarness.ScanText("md-" + body));
    }

    [Fact]
    public void BareTransactionalKey_NeedsAMandrillKeywordOnItsLineOrTwoAbove()
    {
        var key = _fake.BareTransactional();

        Assert.Single(ScanHarness.ScanText($"MANDRILLAPP_KEY={key}"));
        Assert.Single(ScanHarness.ScanText($"x = \"{key}\"  # mailchimp-transactional"));
        Assert.Single(ScanHarness.ScanText($"# Mailchimp_Transactional\n\nkey: {key}"));
        Assert.Empty(ScanHarness.ScanText($"# mandrill\n\n\nkey: {key}"));
        Assert.Empty(ScanHarness.ScanText($"key: {key}\n# mandrill"));
        Assert.Empty(ScanHarness.ScanText($"mandrill: {key.ToLowerInvariant()}")); // not mixed case
    }

    [Fact]
    public void PrefixedTransactionalKey_IsOneFinding_NotAlsoABareOne()
    {
        var key = _fake.PrefixedTransactional();

        var finding = Assert.Single(ScanHarness.ScanText($"mandrill md = {key}"));

        Assert.Equal(key, finding.Secret);
    }

    [Fact]
    public void KeywardenAllow_SuppressesFindingsOnItsLineOnly()
    {
        var first = _fake.Marketing();
        var second = _fake.Marketing();

        var finding = Assert.Single(ScanHarness.ScanText($"a={first} # keywarden:allow\nb={second}"));

        Assert.Equal(second, finding.Secret);
    }

    [Fact]
    public void EverySecretKind_SameLine_AllFound()
    {
        var text = $"{_fake.Marketing()} {_fake.PrefixedTransactional()} {_fake.Token()}";

        Assert.Equal(
            [MailchimpScanRules.MarketingKey, MailchimpScanRules.TransactionalKey, ScanRules.KeywardenToken],
            ScanHarness.ScanText(text).OrderBy(f => f.Column).Select(f => f.RuleId));
    }

    [Fact]
    public void AdminSecrets_SessionMachineCredentialAndInvitation_AreFound_AndABadChecksumIsNot()
    {
        var session = OperatorSecret.Generate(OperatorSecretKind.Session).Value;
        var machine = OperatorSecret.Generate(OperatorSecretKind.Machine).Value;
        var invitation = OperatorSecret.Generate(OperatorSecretKind.Invitation).Value;
        var broken = machine[..^1] + (machine[^1] == 'A' ? 'B' : 'A');

        var findings = ScanHarness.ScanText($"KEYWARDEN_TOKEN={machine}\nsession: {session}\ncode {invitation}\nold={broken}\n");

        Assert.Equal(
            [(ScanRules.KeywardenMachineCredential, machine), (ScanRules.KeywardenSession, session), (ScanRules.KeywardenInvitation, invitation)],
            findings.OrderBy(f => f.Line).Select(f => (f.RuleId, f.Secret)));
    }
}
