using Keywarden.Testing;

namespace Keywarden.Scanner.Tests.Git;

public sealed class StagedScanTests
{
    private static Task<ScanResult> ScanStagedAsync(TestRepository repo) =>
        SecretScanner.ScanAsync(
            new ScanRequest { Source = ScanSource.Staged, WorkingDirectory = repo.Path },
            cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Staged_ScansTheIndexVersion_NotTheWorkingTree()
    {
        using var repo = new TestRepository();
        var fake = new FakeSecrets(11);
        var staged = fake.Marketing();
        repo.Write("committed.txt", fake.Marketing()); // already committed: not what is about to be committed
        repo.Commit("old");
        repo.Write("app.cfg", $"key={staged}\n");
        repo.Git("add", "app.cfg");
        repo.Write("app.cfg", "key=from-vault\n"); // the working tree is clean, the index is not
        repo.Write("unstaged.txt", fake.Marketing()); // never added

        var result = await ScanStagedAsync(repo);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("app.cfg", 1L, 5L, (GitCommit?)null), (finding.Path, finding.Line, finding.Column, finding.Commit));
    }

    [Fact]
    public async Task Staged_CleanIndex_WithAKeyOnlyInTheWorkingTree_HasNoFindings()
    {
        using var repo = new TestRepository();
        repo.Write("app.cfg", "key=from-vault\n");
        repo.Git("add", "app.cfg");
        repo.Write("app.cfg", $"key={new FakeSecrets(12).Marketing()}\n");

        var result = await ScanStagedAsync(repo);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.FilesScanned);
    }
}
