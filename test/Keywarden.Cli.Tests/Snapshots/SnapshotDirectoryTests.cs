namespace Keywarden.Cli.Tests.Snapshots;

public sealed class SnapshotDirectoryTests : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("kw-snapshot-test-").FullName;

    [Fact]
    public void Match_IgnoresLineEndingsTrailingSpacesAndFinalBlankLines()
    {
        File.WriteAllText(Verified("table"), "ID  NAME\ntok_1  app\n");

        new SnapshotDirectory(_path, accept: false).Match("table", "ID  NAME   \r\ntok_1  app  \r\n\r\n");

        Assert.False(File.Exists(Received("table")));
    }

    [Fact]
    public void Match_WhenTheOutputDiffers_FailsWithADiffOfTheFirstDifferingLines_AndWritesTheReceivedFile()
    {
        var verified = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line {i}")) + "\n";
        File.WriteAllText(Verified("list"), verified);
        var received = verified.Replace("line 5\n", "line five\n", StringComparison.Ordinal).Replace("line 9\n", "", StringComparison.Ordinal);

        var failure = Assert.Throws<Xunit.Sdk.FailException>(() => new SnapshotDirectory(_path, accept: false).Match("list", received));

        Assert.Contains(Received("list"), failure.Message, StringComparison.Ordinal);
        var diff = failure.Message[failure.Message.IndexOf("--- verified", StringComparison.Ordinal)..].TrimEnd('\n');
        Assert.Equal(
            string.Join('\n',
                "--- verified",
                "+++ received",
                "@@ verified line 3, received line 3 @@",
                "  line 3",
                "  line 4",
                "- line 5",
                "+ line five",
                "  line 6",
                "  line 7",
                "  line 8",
                "- line 9",
                "  line 10"),
            diff);
        Assert.Equal(received, File.ReadAllText(Received("list")));
        Assert.Equal(verified, File.ReadAllText(Verified("list"))); // untouched
    }

    [Fact]
    public void Match_ALongDifference_IsCutAfterTheFirstLines()
    {
        File.WriteAllText(Verified("long"), string.Concat(Enumerable.Range(1, 100).Select(i => $"old {i}\n")));

        var failure = Assert.Throws<Xunit.Sdk.FailException>(
            () => new SnapshotDirectory(_path, accept: false).Match("long", string.Concat(Enumerable.Range(1, 100).Select(i => $"new {i}\n"))));

        Assert.Contains("- old 1\n", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"cut after {SnapshotDiff.MaxLines} lines", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("+ new 100", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_WithoutAVerifiedFile_Fails_AndAcceptsNothing()
    {
        var failure = Assert.Throws<Xunit.Sdk.FailException>(() => new SnapshotDirectory(_path, accept: false).Match("new-command", "hello\n"));

        Assert.Contains("has no verified file", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Snapshot.AcceptVariable + "=1", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Verified("new-command")));
        Assert.Equal("hello\n", File.ReadAllText(Received("new-command")));
    }

    [Fact]
    public void Match_WhenAccepting_WritesTheVerifiedFile_NormalizedAndWithoutAReceivedOne()
    {
        File.WriteAllText(Received("new-command"), "an earlier failure\n");

        new SnapshotDirectory(_path, accept: true).Match("new-command", "hello  \r\nworld\r\n\r\n");

        Assert.Equal("hello\nworld\n", File.ReadAllText(Verified("new-command")));
        Assert.False(File.Exists(Received("new-command")));
        new SnapshotDirectory(_path, accept: false).Match("new-command", "hello\nworld");
    }

    [Fact]
    public void Match_OnceTheOutputIsRightAgain_RemovesTheStaleReceivedFile()
    {
        File.WriteAllText(Verified("fixed"), "right\n");
        Assert.Throws<Xunit.Sdk.FailException>(() => new SnapshotDirectory(_path, accept: false).Match("fixed", "wrong\n"));

        new SnapshotDirectory(_path, accept: false).Match("fixed", "right\n");

        Assert.False(File.Exists(Received("fixed")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("Upper")]
    [InlineData("")]
    public void Match_ANameThatIsNotAPlainFileName_IsRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => new SnapshotDirectory(_path, accept: false).Match(name, "x"));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("true", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Accepting_IsAskedForOnlyWithOne(string? value, bool accept)
    {
        Assert.Equal(accept, Snapshot.AcceptRequested(value));
    }

    public void Dispose() => Directory.Delete(_path, recursive: true);

    private string Verified(string name) => Path.Combine(_path, name + ".verified.txt");

    private string Received(string name) => Path.Combine(_path, name + ".received.txt");
}
