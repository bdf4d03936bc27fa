using System.Text;
using Keywarden.Testing;

namespace Keywarden.Scanner.Tests;

public sealed class CorpusTests
{
    [Fact]
    public async Task LabelledCorpus_RecallAndPrecision_AreAtLeast98Percent()
    {
        using var temp = new TempDirectory();
        var corpus = BuildCorpus(temp, new FakeSecrets(20240501));

        var result = await ScanHarness.ScanAsync(temp.Path);

        var found = result.Findings.Select(f => (f.Path, f.Line, f.Column, Rule: f.RuleId)).ToHashSet();
        var expected = corpus.Expected.ToHashSet();
        var truePositives = found.Intersect(expected).Count();
        var recall = (double)truePositives / expected.Count;
        var precision = found.Count == 0 ? 0 : (double)truePositives / found.Count;
        var missed = string.Join("\n", expected.Except(found).Take(10));
        var extra = string.Join("\n", found.Except(expected).Take(10));
        Assert.True(expected.Count >= 200, $"corpus too small: {expected.Count}");
        Assert.True(recall >= 0.98, $"recall {recall:P2}; missed:\n{missed}");
        Assert.True(precision >= 0.98, $"precision {precision:P2}; false positives:\n{extra}");
        Assert.Equal(found.Count, result.Findings.Count); // one finding per occurrence
    }

    internal static Corpus BuildCorpus(TempDirectory temp, FakeSecrets fake)
    {
        var corpus = new Corpus(temp);
        for (var i = 0; i < 8; i++)
        {
            corpus.File($"web/app{i}.min.js")
                .Append("!function(e){var t={};", string.Concat(Enumerable.Repeat("e.exports=function(n){return n+1};", 20)))
                .Append("var k=\"", Planted.Marketing(fake.Marketing()), "\",m='", Planted.Transactional(fake.PrefixedTransactional()), "';")
                .Append("var sha=\"", fake.Pick("0123456789abcdef", 40), "\";var id=\"", Uuid(fake), "\";")
                .Append("t.tok=`", Planted.Token(fake.Token()), "`;t.bad=\"", fake.TokenWithWrongChecksum(), "\"}(window);")
                .Save();

            corpus.File($"py/settings_{i}.py")
                .Line("import os")
                .Line("MAILCHIMP_API_KEY = \"", Planted.Marketing(fake.Marketing()), "\"")
                .Line("# mandrill transactional")
                .Line("MANDRILL_KEY = '", Planted.Transactional(fake.BareTransactional()), "'")
                .Line("COMMIT = '", fake.Pick("0123456789abcdef", 40), "'")
                .Line("REQUEST_ID = '", Uuid(fake), "'")
                .Line("LOOKS_BARE = '", fake.BareTransactional(), "'  # no keyword nearby (3 lines below the last)")
                .Line("EXAMPLE = '", fake.Pick("0123456789abcdef", 32), "-eu1'")
                .Line("HEX_ONLY = '", fake.Pick("0123456789abcdef", 32), "'")
                .Save();

            corpus.File($"env/{i}/.env")
                .Line("MAILCHIMP_KEY=", Planted.Marketing(fake.Marketing()))
                .Line("MANDRILL_API_KEY=", Planted.Transactional(fake.PrefixedTransactional()))
                .Line("KEYWARDEN_TOKEN=", Planted.Token(fake.Token()))
                .Line("PLACEHOLDER=your-api-key-us1")
                .Line("ZEROS=", new string('0', 32), "-us1")
                .Line("BEEF=", string.Concat(Enumerable.Repeat("deadbeef", 4)), "-us2")
                .Line("XS=md-xxxxxxxxxxxxxxxxxxxxxx")
                .Line("WRONG=", fake.TokenWithWrongChecksum())
                .Save();

            corpus.File($"json/config{i}.json")
                .Line("{")
                .Line("  \"mailchimp\": { \"apiKey\": \"", Planted.Marketing(fake.Marketing()), "\" },")
                .Line("  \"mailchimp_transactional\": {")
                .Line("    \"key\": \"", Planted.Transactional(fake.BareTransactional()), "\",")
                .Line("    \"other\": \"", Planted.Transactional(fake.BareTransactional()), "\"")
                .Line("  },")
                .Line("  \"token\": \"", Planted.Token(fake.Token()), "\",")
                .Line("  \"build\": \"", fake.Pick("0123456789abcdef", 40), "\"")
                .Append("}")
                .Save();

            corpus.File($"deploy/values{i}.yaml")
                .Line("mailchimp:")
                .Line("  key: ", Planted.Marketing(fake.Marketing()))
                .Line("  sample: 0123456789abcdef0123456789abcdef-us1")
                .Line("gateway:")
                .Line("  tokens: [", Planted.Token(fake.Token()), ", ", Planted.Token(fake.Token()), "]")
                .Line("  suffixed: ", Planted.Token(fake.Token()), "-us21")
                .Line("  uuid: ", Uuid(fake))
                .Save();

            corpus.File($"docs/guide{i}.md")
                .Line("# Setup")
                .Line("Set `MAILCHIMP_KEY` to your key, e.g. `", fake.Pick("0123456789abcdef", 32), "-eu1` is not a key.")
                .Line("A leaked one: `", Planted.Marketing(fake.Marketing()), "` and `", Planted.Transactional(fake.PrefixedTransactional()), "`.")
                .Line("Commit ", fake.Pick("0123456789abcdef", 40), " fixed it; `", new string('a', 32), "-us1` is a placeholder.")
                .Line("Also `", fake.Pick("0123456789abcdef", 33), "-us1` (33 hex) and `", fake.Pick("0123456789abcdef", 32), "-us123`.")
                .Save();

            corpus.File($"src/Client{i}.cs")
                .Line("namespace Demo;")
                .Line("// MailchimpTransactional client")
                .Line("internal static class Keys")
                .Line("{")
                .Line("    public const string Mandrill = \"", Planted.Transactional(fake.BareTransactional()), "\";")
                .Line("    public const string Marketing = \"", Planted.Marketing(fake.Marketing()), "\";")
                .Line("    public const string Id = \"", Uuid(fake), "\";")
                .Line("    public const string Name = \"", fake.BareTransactional(), "\";")
                .Line("}")
                .Save();

            corpus.File($"win/crlf{i}.txt")
                .Line("first line")
                .Line("key=", Planted.Marketing(fake.Marketing()))
                .Line("\ttab ", Planted.Token(fake.Token()))
                .Save(newline: "\r\n");

            corpus.File($"enc/utf16le{i}.txt")
                .Line("héllo wörld")
                .Line("key: ", Planted.Marketing(fake.Marketing()), " and ", Planted.Transactional(fake.PrefixedTransactional()))
                .Save(new UnicodeEncoding(bigEndian: false, byteOrderMark: true), bom: true);

            corpus.File($"enc/utf16be{i}.txt")
                .Line("naïve")
                .Line("  ", Planted.Token(fake.Token()))
                .Save(new UnicodeEncoding(bigEndian: true, byteOrderMark: true), bom: true);

            corpus.File($"enc/bom{i}.txt")
                .Line(Planted.Marketing(fake.Marketing()), " at the very start")
                .Save(new UTF8Encoding(true), bom: true);

            corpus.File($"enc/latin1_{i}.txt")
                .Line("café crème: ", Planted.Marketing(fake.Marketing()))
                .Line("Ø ", Planted.Transactional(fake.PrefixedTransactional()))
                .Save(Encoding.Latin1);

            corpus.File($"eof/key{i}.txt")
                .Line("last line has no newline")
                .Append("token=", Planted.Token(fake.Token()))
                .Save();

            // A secret straddling the default 64 Ki-character chunk boundary of a single long line.
            var longLine = corpus.File($"long/bundle{i}.js");
            longLine.Append(new string('x', 65536 - 20 + i), ";", Planted.Marketing(fake.Marketing()), ";", new string('y', 5000), ";");
            longLine.Append(Planted.Token(fake.Token()), ";", new string('z', 70000), ";", Planted.Transactional(fake.PrefixedTransactional()));
            longLine.Save();

            corpus.File($"bin/blob{i}.bin").SaveUnlabelled([.. Encoding.ASCII.GetBytes(fake.Marketing()), 0, 1, 2, 0]);
        }

        temp.Write(".git/config", "url = " + fake.Marketing()); // never scanned
        return corpus;
    }

    private static string Uuid(FakeSecrets fake) => new Guid(fake.Random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)).ToString();
}
