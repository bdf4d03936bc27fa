using Keywarden.Testing;


namespace Keywarden.Scanner.Tests.Ignore;

public sealed class GitignoreScanTests
{
    [Fact]
    public async Task KeyInAnIgnoredFile_IsReportedByDefault_AndSkippedWithGitignore()
    {
        using var repository = new TestRepository();
        var key = new FakeSecrets(31).Marketing();
        repository.Write(".gitignore", "*.env\nbuild/\n");
        repository.Write("local.env", $"MC={key}\n");
        repository.Write("build/out.txt", key);
        repository.Write("src/app.py", "print(1)\n");

        var byDefault = await ScanAsync(repository.Path, gitignore: null);
        var ignoring = await ScanAsync(repository.Path, gitignore: true);

        // A security scanner does not hide a secret because a file is kept out of Git: that is where secrets live.
        Assert.Equal(["build/out.txt", "local.env"], byDefault.Findings.Select(f => f.Path));
        Assert.Equal(0, byDefault.IgnoredPaths);
        Assert.Empty(ignoring.Findings);
        Assert.Equal(2, ignoring.IgnoredPaths); // local.env and build/, once
        Assert.Equal(2, ignoring.FilesScanned); // .gitignore and src/app.py
    }

    [Fact]
    public async Task GitignoreInTheConfig_TurnsItOn_UnlessTheRequestSaysNo()
    {
        using var repository = new TestRepository();
        repository.Write(".gitignore", "*.env\n");
        repository.Write("local.env", new FakeSecrets(32).Marketing());
        repository.Write(".keywarden-scan.json", """{"gitignore": true}""");

        var result = await ScanAsync(repository.Path, gitignore: null);
        var overridden = await ScanAsync(repository.Path, gitignore: false);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.IgnoredPaths);
        Assert.Equal("local.env", Assert.Single(overridden.Findings).Path);
    }

    [Fact]
    public async Task TrackedFileThatMatchesGitignore_IsStillScanned()
    {
        using var repository = new TestRepository();
        repository.Write(".gitignore", "*.env\n");
        repository.Write("committed.env", new FakeSecrets(33).Marketing());
        repository.Git("add", "-f", "committed.env");

        var result = await ScanAsync(repository.Path, gitignore: true);

        Assert.Equal("committed.env", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public async Task Gitignore_OutsideAWorkTree_AppliesTheGitignoreFilesOfTheScannedDirectory()
    {
        using var temp = new TempDirectory();
        temp.Write(".gitignore", "secrets/\n");
        temp.Write("secrets/k.txt", new FakeSecrets(34).Marketing());
        temp.Write("a/.gitignore", "*.txt\n!keep.txt\n");
        temp.Write("a/x.txt", new FakeSecrets(35).Marketing());
        temp.Write("a/keep.txt", new FakeSecrets(36).Marketing());

        var result = await ScanAsync(temp.Path, gitignore: true);

        Assert.Equal("a/keep.txt", Assert.Single(result.Findings).Path);
        Assert.Equal(2, result.IgnoredPaths);
    }

    [Fact]
    public async Task Gitignore_DoesNotApplyToFilesNamedOnTheCommandLine()
    {
        using var repository = new TestRepository();
        repository.Write(".gitignore", "*.env\n");
        repository.Write("local.env", new FakeSecrets(37).Marketing());

        var result = await SecretScanner.ScanAsync(
            new ScanRequest { Targets = ["local.env"], WorkingDirectory = repository.Path, Gitignore = true },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("local.env", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public async Task Gitignore_DoesNotApplyToTheHistory()
    {
        using var repository = new TestRepository();
        repository.Write(".gitignore", "*.env\n");
        repository.Write("committed.env", new FakeSecrets(38).Marketing());
        repository.Git("add", "-f", "committed.env");
        repository.Commit("oops");

        var result = await SecretScanner.ScanAsync(
            new ScanRequest { Source = ScanSource.GitHistory, Targets = [repository.Path], Gitignore = true },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("committed.env", Assert.Single(result.Findings).Path);
    }

    private static Task<ScanResult> ScanAsync(string directory, bool? gitignore) =>
        SecretScanner.ScanAsync(
            new ScanRequest { Targets = ["."], WorkingDirectory = directory, Gitignore = gitignore },
            cancellationToken: TestContext.Current.CancellationToken);
}
