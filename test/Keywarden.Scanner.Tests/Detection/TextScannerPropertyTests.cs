using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Mailchimp;

namespace Keywarden.Scanner.Tests.Detection;

public sealed class TextScannerPropertyTests
{
    /// <summary>Text that cannot make or touch a secret: no letters or digits, so every boundary is clean.</summary>
    private static readonly Gen<string> Filler =
        Gen.ListOf(Gen.Elements(' ', '\n', '\r', '\t', '"', '\'', '=', ':', ';', ',', '.', '(', ')', '{', '}', '/', '#', 'é', '…', '_', '-'))
            .Select(chars => new string([.. chars]).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', ' '));

    private static readonly Gen<(string Rule, string Secret)> Secret =
        Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, 2)).Select(t =>
        {
            var fake = new FakeSecrets(t.Item1);
            return t.Item2 switch
            {
                0 => (MailchimpScanRules.MarketingKey, fake.Marketing()),
                1 => (MailchimpScanRules.TransactionalKey, fake.PrefixedTransactional()),
                _ => (ScanRules.KeywardenToken, fake.Token()),
            };
        });

    [Property(MaxTest = 300)]
    public Property PlantedSecret_InRandomText_IsFoundOnceAtItsPosition() =>
        Prop.ForAll(Arb.From(Filler.Zip(Secret).Zip(Filler.Zip(Gen.Choose(64, 200)))), input =>
        {
            var ((before, secret), (after, chunk)) = input;
            // '_' and '-' are key characters: keep them off the secret's ends so the planted text stays the whole match.
            before = before.TrimEnd('_', '-');
            after = after.TrimStart('_', '-');
            var findings = ScanHarness.ScanText(before + secret.Secret + after, chunk);

            var line = before.Count(c => c == '\n') + 1L;
            var column = before.Length - (before.LastIndexOf('\n') + 1) + 1L;
            return findings.Count == 1
                && findings[0].RuleId == secret.Rule
                && findings[0].Secret == secret.Secret
                && findings[0].Line == line
                && findings[0].Column == column;
        });
}
