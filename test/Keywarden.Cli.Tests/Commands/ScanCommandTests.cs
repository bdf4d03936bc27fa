using System.Text.Json;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Tests.Commands;

public sealed class ScanCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kw-scan-cli-").FullName;
    private readonly Random _random = new(42);

    [Fact]
    public async Task Scan_WithFindings_ExitsOne_AndPrintsRedactedFindingsAndSummary()
    {
        var key = MarketingKey();
        Write("app/settings.py", $"KEY = '{key}'\n");

        var run = await RunAsync("scan", _directory);

        Assert.True(run.ExitCode == 1, run.All);
        Assert.Contains(":1:8  mailchimp-marketing-key  " + key[..4] + "…(", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 secret found in 1 file", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], run.All, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Scan_WithoutFindings_ExitsZero()
    {
        Write("clean.txt", "nothing to see: " + new string('0', 32) + "-us1\n");

        var run = await RunAsync("scan", _directory);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("no secrets found", run.Out, StringComparison.Ordinal);
        Assert.Contains("; 1 placeholder skipped)", run.Out, StringComparison.Ordinal); // it saw the key-shaped text, and says so
    }

    [Fact]
    public async Task Scan_Json_CountsThePlaceholdersItSkipped()
    {
        Write("config.example.env", "MAILCHIMP_KEY=" + new string('0', 32) + "-us1\nTOKEN=kw_" + new string('x', 36) + "\nOTHER=" + "deadbeef" + "deadbeef" + "deadbeef" + "deadbeef" + "-us21\n");

        var run = await RunAsync("scan", _directory, "--format", "json");

        Assert.True(run.ExitCode == 0, run.All);
        var report = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(0, report.GetProperty("findings").GetArrayLength());
        Assert.Equal(2, report.GetProperty("placeholders_skipped").GetInt64()); // the kw_xxx… one has no valid checksum: not key-shaped at all
    }

    [Fact]
    public async Task Scan_MissingPath_ExitsTwoWithOneErrorLine()
    {
        var run = await RunAsync("scan", Path.Combine(_directory, "nope"));

        Assert.True(run.ExitCode == 2, run.All);
        Assert.StartsWith("error: no such file or directory", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Scan_UnreadableConfig_ExitsTwo()
    {
        Write(".keywarden-scan.json", "{ \"exclude\": 3 }");

        var run = await RunAsync("scan", _directory);

        Assert.True(run.ExitCode == 2, run.All);
        Assert.StartsWith("error: config", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_Json_ParsesAndListsFindings()
    {
        var token = GatewayToken.Generate().Value;
        Write("a.env", $"\nTOKEN={token}");

        var run = await RunAsync("scan", _directory, "--format", "json");

        Assert.True(run.ExitCode == 1, run.All);
        using var json = JsonDocument.Parse(run.Out);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("keywarden-token", finding.GetProperty("rule").GetString());
        Assert.Equal(2, finding.GetProperty("line").GetInt32());
        Assert.Equal(7, finding.GetProperty("column").GetInt32());
        Assert.Equal(64, finding.GetProperty("fingerprint").GetString()!.Length);
        Assert.DoesNotContain(token[4..], run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_Sarif_ToOutputFile_IsVersion210WithTheResults()
    {
        Write("one.txt", MarketingKey());
        Write("two.txt", "x " + MarketingKey());
        var report = Path.Combine(_directory, "..", Path.GetFileName(_directory) + ".sarif");

        try
        {
            var run = await RunAsync("scan", _directory, "--format", "sarif", "--output", report);

            Assert.True(run.ExitCode == 1, run.All);
            Assert.Equal("", run.Out);
            using var sarif = JsonDocument.Parse(File.ReadAllText(report));
            Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
            var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(2, results.Count);
            Assert.All(results, r => Assert.Equal("mailchimp-marketing-key", r.GetProperty("ruleId").GetString()));
            Assert.EndsWith("two.txt", results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                // A report may hold secrets (--no-redact): readable by its owner only, like every file Keywarden writes.
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
            }
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task Scan_BaselineRoundTrip_IgnoresKnownFindingsOnly()
    {
        Write("old.txt", MarketingKey());
        var baseline = Path.Combine(_directory, "..", Path.GetFileName(_directory) + ".baseline.json");

        try
        {
            var write = await RunAsync("scan", _directory, "--write-baseline", baseline);
            var known = await RunAsync("scan", _directory, "--baseline", baseline);
            Write("new.txt", MarketingKey());
            var fresh = await RunAsync("scan", _directory, "--baseline", baseline, "--format", "json");

            Assert.True(write.ExitCode == 0, write.All);
            Assert.True(known.ExitCode == 0, known.All);
            Assert.True(fresh.ExitCode == 1, fresh.All);
            using var json = JsonDocument.Parse(fresh.Out);
            var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
            Assert.EndsWith("new.txt", finding.GetProperty("path").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public async Task Scan_KeywardenAllowOnTheLine_SuppressesIt()
    {
        Write("docs.md", $"fixture: {MarketingKey()}  <!-- keywarden:allow -->\n");

        var run = await RunAsync("scan", _directory);

        Assert.True(run.ExitCode == 0, run.All);
    }

    [Fact]
    public async Task Scan_Stdin_IsScannedAsDash()
    {
        var key = MarketingKey();

        var run = await PipeAsync($"hello\n\t{key}\n", "scan", "-");

        Assert.True(run.ExitCode == 1, run.All);
        Assert.StartsWith("-:2:2  mailchimp-marketing-key", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task Scan_NoRedact_ShowsTheSecret_OtherwiseNever(string format)
    {
        var key = MarketingKey();
        Write("k.txt", key);

        var redacted = await RunAsync("scan", _directory, "--format", format);
        var shown = await RunAsync("scan", _directory, "--format", format, "--no-redact");

        Assert.DoesNotContain(key[4..], redacted.All, StringComparison.Ordinal);
        Assert.Contains(key, shown.Out, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }

    private string MarketingKey() =>
        new string(_random.GetItems<char>("0123456789abcdef", 32)) + "-us" + _random.Next(1, 22);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static Task<CliRun> RunAsync(params string[] args) => PipeAsync(null, args);

    private static async Task<CliRun> PipeAsync(string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            In = new StringReader(stdin ?? ""),
            Out = output,
            Error = error,
            InputRedirected = stdin is not null,
            Environment = new Dictionary<string, string?>(StringComparer.Ordinal),
            HomeDirectory = Path.GetTempPath(),
        };
        var code = await CliApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
