using System.Text.RegularExpressions;

namespace Keywarden.Cli.Tests.Commands;

/// <summary><c>keywarden demo</c>: the whole runbook against its own sandbox, as the README's first command runs it.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_LeakFoundInGit_RotatedUnderTraffic_NoFailedRequest_SinkRewritten_NoKeyShown()
    {
        await using var cli = await CliFixture.StartAsync();

        var demo = await cli.RunAsync("demo", "--keep");

        var root = Regex.Match(demo.Out, @"everything in (\S+)").Groups[1].Value;
        try
        {
            Assert.True(demo.ExitCode == 0, demo.All);
            Assert.Contains("known: upstream newsletter (current key)", demo.Out, StringComparison.Ordinal);
            Assert.Matches(@"Leak rotation rot_\w+ of 'newsletter' opened \(found by keywarden scan at commit [0-9a-f]+ config/mailchimp\.env:1:19", demo.Out);
            Assert.Contains("is complete and the old key is deleted", demo.Out, StringComparison.Ordinal);
            Assert.Matches(@"last rotation rot_\w+ \(leak: .*\): complete \(old key revoked\) at", demo.Out);
            Assert.Matches(@"Time to remediate: \d+\.\d{3} s", demo.Out);
            var served = Regex.Match(demo.Out, @"Requests served through the gateway during the rotation: (\d+) \(\d+ in all\); failed: 0\.");
            Assert.True(served.Success, demo.Out);
            Assert.True(long.Parse(served.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Contains("intact:", demo.Out, StringComparison.Ordinal);
            Assert.Matches(@"al_\w+ +critical +open +decoy +tok_\w+ +127\.0\.0\.1 +1 ", demo.Out);
            Assert.Matches(@"al_\w+ +warning +open +sending +tok_\w+ +127\.0\.0\.1 ", demo.Out);

            var leaked = ValueOf(Path.Combine(root, "app-repo", "config", "mailchimp.env"), "MAILCHIMP_API_KEY");
            var env = File.ReadAllText(Path.Combine(root, "legacy-app", ".env"));
            var delivered = ValueOf(Path.Combine(root, "legacy-app", ".env"), "MAILCHIMP_API_KEY");
            Assert.Matches("^[0-9a-f]{32}-us21$", delivered);
            Assert.NotEqual(leaked, delivered);
            Assert.StartsWith("# legacy batch mailer\n", env, StringComparison.Ordinal);
            Assert.EndsWith("BATCH_SIZE=500\n", env, StringComparison.Ordinal);
            Assert.Contains($"newsletter: key {delivered[..4]}…", demo.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(leaked[4..], demo.All, StringComparison.Ordinal);
            Assert.DoesNotContain(delivered[4..], demo.All, StringComparison.Ordinal);
        }
        finally
        {
            if (root.Length > 0 && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static string ValueOf(string file, string variable) =>
        File.ReadAllLines(file).Single(l => l.StartsWith(variable + "=", StringComparison.Ordinal))[(variable.Length + 1)..];
}
