using Keywarden.Testing;

namespace Keywarden.Scanner.Tests;

public sealed class SecretScannerTests
{
    [Fact]
    public async Task Directory_SkipsVcsDirectoriesAndConfiguredExcludes_AndSortsFindings()
    {
        using var temp = new TempDirectory();
        var fake = new FakeSecrets(21);
        temp.Write(".git/objects/x", fake.Marketing());
        temp.Write("node_modules/lib/index.js", fake.Marketing());
        temp.Write("dist/app.min.js", fake.Marketing());
        temp.Write("b.txt", $"{fake.Marketing()}\n\n{fake.Token()}");
        temp.Write("a/z.txt", $"  {fake.Token()} {fake.Marketing()}");
        temp.Write(".keywarden-scan.json", """{"exclude": ["node_modules", "dist/*.min.js"]}""");

        var result = await ScanHarness.ScanAsync(temp.Path);

        Assert.Equal(
            ["a/z.txt:1:3", "a/z.txt:1:43", "b.txt:1:1", "b.txt:3:1"],
            result.Findings.Select(f => $"{f.Path}:{f.Line}:{f.Column}"));
    }

    [Fact]
    public async Task MissingTarget_IsAScanException()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kw-missing-" + Guid.NewGuid().ToString("N"));

        await Assert.ThrowsAsync<ScanException>(() => SecretScanner.ScanAsync(
            new ScanRequest { Targets = [missing] }, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InvalidConfig_IsAScanException()
    {
        using var temp = new TempDirectory();
        temp.Write(".keywarden-scan.json", "{ not json");

        await Assert.ThrowsAsync<ScanException>(() => ScanHarness.ScanAsync(temp.Path));
    }

    [Fact]
    public async Task Stdin_IsScannedAsDash()
    {
        var key = new FakeSecrets(4).Marketing();

        var result = await SecretScanner.ScanAsync(
            new ScanRequest { Targets = ["-"], StandardInput = new StringReader("x\n" + key) },
            cancellationToken: TestContext.Current.CancellationToken);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("-", 2L, 1L), (finding.Path, finding.Line, finding.Column));
    }

    [Fact]
    public async Task Progress_ReportsEveryFile()
    {
        using var temp = new TempDirectory();
        for (var i = 0; i < 5; i++)
        {
            temp.Write($"f{i}.txt", "hello");
        }

        var reports = new List<ScanProgress>();
        var progress = new SynchronousProgress(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        });
        await SecretScanner.ScanAsync(new ScanRequest { Targets = [temp.Path] }, progress, TestContext.Current.CancellationToken);

        Assert.Equal(5, reports.Max(r => r.FilesScanned));
        Assert.Equal(25, reports.Max(r => r.BytesScanned));
    }

    private sealed class SynchronousProgress(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
