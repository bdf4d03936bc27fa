using System.Text.Json;
using Keywarden.Mailchimp;
using Keywarden.Testing;

namespace Keywarden.Scanner.Tests.Git;

public sealed class GitHistoryTests
{
    private static Task<ScanResult> ScanHistoryAsync(TestRepository repo, Baseline? baseline = null, int chunkChars = Scanner.Detection.TextScanner.DefaultChunkChars) =>
        SecretScanner.ScanAsync(
            new ScanRequest { Source = ScanSource.GitHistory, WorkingDirectory = repo.Path, Baseline = baseline, ChunkChars = chunkChars },
            cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task PlantedKey_IsAttributedToTheCommitAuthorAndDateThatAddedIt()
    {
        using var repo = new TestRepository();
        var key = new FakeSecrets(1).Marketing();
        repo.Write("README.md", "hello\n");
        repo.Commit("first");
        repo.Write("src/config.js", $"const x = 1;\nconst key = '{key}';\n");
        var (sha, date) = repo.Commit("add config", author: "Mallory Leaker");
        repo.Write("src/config.js", $"const x = 2;\nconst key = '{key}';\n");
        repo.Commit("edit config");

        var result = await ScanHistoryAsync(repo);

        // The edit made a new blob at the same path; its copy of the key is reported too, at its own commit.
        var first = result.Findings[0];
        Assert.Equal(("src/config.js", 2L, 14L, MailchimpScanRules.MarketingKey), (first.Path, first.Line, first.Column, first.RuleId));
        Assert.Equal(sha, first.Commit!.Sha);
        Assert.Equal("Mallory Leaker", first.Commit.Author);
        Assert.Equal("mallory.leaker@example.test", first.Commit.Email);
        Assert.Equal(date, first.Commit.Date);
        Assert.Equal(2, result.Findings.Count);
        Assert.Equal(3, result.CommitsScanned);
    }

    [Fact]
    public async Task KeyAddedThenDeleted_IsStillFoundInHistory()
    {
        using var repo = new TestRepository();
        var key = new FakeSecrets(2).PrefixedTransactional();
        repo.Write(".env", $"MANDRILL_KEY={key}\n");
        var (sha, _) = repo.Commit("oops");
        File.Delete(Path.Combine(repo.Path, ".env"));
        repo.Commit("remove the key");

        var result = await ScanHistoryAsync(repo);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((".env", sha, MailchimpScanRules.TransactionalKey), (finding.Path, finding.Commit!.Sha, finding.RuleId));
        Assert.Empty(Directory.EnumerateFiles(repo.Path));
    }

    [Fact]
    public async Task SameBlobInTwoPathsAndTwoBranches_IsScannedOnce_AndReportedPerPathAtItsFirstCommit()
    {
        using var repo = new TestRepository();
        var content = $"token: {new FakeSecrets(3).Token()}\n";
        repo.Write("a.yml", content);
        var (first, _) = repo.Commit("a");
        repo.Git("checkout", "-q", "-b", "feature");
        repo.Write("copy/b.yml", content);
        var (second, _) = repo.Commit("copy on a branch");
        repo.Git("checkout", "-q", "main");
        repo.Write("copy/b.yml", content);
        repo.Write("other.txt", "no secret\n");
        repo.Commit("the same copy on main, later");

        var result = await ScanHistoryAsync(repo);

        Assert.Equal(2, result.FilesScanned); // the key's blob and other.txt's, each read once
        Assert.Equal(
            [("a.yml", first), ("copy/b.yml", second)],
            result.Findings.Select(f => (f.Path, f.Commit!.Sha)));
        Assert.Single(result.Findings.Select(f => f.Fingerprint).Distinct());
    }

    [Fact]
    public async Task Rename_ReportsTheNewPathAtTheRenamingCommit()
    {
        using var repo = new TestRepository();
        repo.Write("old/name.py", $"KEY = \"{new FakeSecrets(4).Marketing()}\"\n");
        var (added, _) = repo.Commit("add");
        repo.Git("mv", "old/name.py", "new_name.py");
        var (renamed, _) = repo.Commit("rename");

        var result = await ScanHistoryAsync(repo);

        Assert.Equal(1, result.FilesScanned);
        Assert.Equal(
            [("new_name.py", renamed), ("old/name.py", added)],
            result.Findings.Select(f => (f.Path, f.Commit!.Sha)));
    }

    [Fact]
    public async Task Merge_AttributesBranchKeysToTheBranchCommit_AndAKeyWrittenInTheMergeToTheMerge()
    {
        using var repo = new TestRepository();
        var fake = new FakeSecrets(5);
        repo.Write("base.txt", "base\n");
        repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "topic");
        repo.Write("topic.txt", $"{fake.Marketing()}\n");
        var (topic, _) = repo.Commit("topic key");
        repo.Git("checkout", "-q", "main");
        repo.Write("main.txt", "main\n");
        repo.Commit("main work");
        repo.Git("merge", "-q", "--no-ff", "--no-commit", "topic");
        repo.Write("merge-fix.txt", $"{fake.Marketing()}\n");
        var (merge, _) = repo.Commit("merge topic, with an extra key");

        var result = await ScanHistoryAsync(repo);

        Assert.Equal(
            [("merge-fix.txt", merge), ("topic.txt", topic)],
            result.Findings.Select(f => (f.Path, f.Commit!.Sha)));
        Assert.Equal(4, result.CommitsScanned);
    }

    [Fact]
    public async Task LongBlob_KeysAcrossChunks_BinaryBlobs_AndBaseline()
    {
        using var repo = new TestRepository();
        var fake = new FakeSecrets(6);
        var known = fake.Marketing();
        var fresh = fake.Marketing();
        repo.Write("min.js", new string('a', 100) + ";" + fresh + ";" + new string('b', 5000) + " " + known);
        File.WriteAllBytes(Path.Combine(repo.Path, "blob.bin"), [0, 1, 2, .. System.Text.Encoding.ASCII.GetBytes(fake.Marketing())]);
        repo.Commit("minified");
        var baseline = new Baseline([(await ScanHistoryAsync(repo)).Findings.Single(f => f.Column > 5000).Fingerprint]);

        var result = await ScanHistoryAsync(repo, baseline, chunkChars: 64);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(102L, finding.Column);
        Assert.Equal(1, result.BinaryFilesSkipped);
        Assert.Equal(1, result.SuppressedByBaseline);
    }

    [Fact]
    public async Task EveryFormat_CarriesTheCommit_AndNeverTheSecret()
    {
        using var repo = new TestRepository();
        var key = new FakeSecrets(7).Marketing();
        repo.Write("k.txt", key);
        var (sha, _) = repo.Commit("k");
        var result = await ScanHistoryAsync(repo);

        var text = ScanReportWriter.Render(result, ScanFormat.Text);
        var json = JsonDocument.Parse(ScanReportWriter.Render(result, ScanFormat.Json)).RootElement;
        var sarif = JsonDocument.Parse(ScanReportWriter.Render(result, ScanFormat.Sarif)).RootElement;

        Assert.Contains($"commit {sha[..12]} by Test Author <test.author@example.test> 2026-01-02", text, StringComparison.Ordinal);
        Assert.Equal(sha, json.GetProperty("findings")[0].GetProperty("commit").GetProperty("sha").GetString());
        var sarifResult = sarif.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal(sha, sarifResult.GetProperty("properties").GetProperty("commit").GetString());
        Assert.Equal("Test Author", sarifResult.GetProperty("properties").GetProperty("author").GetString());
        Assert.Equal("k.txt", sarifResult.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        foreach (var format in Enum.GetValues<ScanFormat>())
        {
            Assert.DoesNotContain(key, ScanReportWriter.Render(result, format), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EmptyRepository_HasNoFindings_AndADirectoryOutsideGitIsAScanException()
    {
        using var repo = new TestRepository();
        using var outside = new TempDirectory();

        var result = await ScanHistoryAsync(repo);

        Assert.Empty(result.Findings);
        await Assert.ThrowsAsync<ScanException>(() => SecretScanner.ScanAsync(
            new ScanRequest { Source = ScanSource.GitHistory, WorkingDirectory = outside.Path }, cancellationToken: TestContext.Current.CancellationToken));
    }
}
