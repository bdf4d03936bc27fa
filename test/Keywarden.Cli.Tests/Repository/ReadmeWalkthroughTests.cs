using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Repository;

/// <summary>The README's "Five minutes with Keywarden" block, run as a reader runs it: with bash, twice, in one directory.</summary>
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kw-readme-").FullName;
    private readonly int _sandboxPort;
    private readonly int _gatewayPort;

    public ReadmeWalkthroughTests()
    {
        _sandboxPort = Loopback.FreePort();
        do
        {
            _gatewayPort = Loopback.FreePort();
        }
        while (_gatewayPort == _sandboxPort);
    }

    /// <summary>Where the reader stands: the block's working directory.</summary>
    private string Work => Path.Combine(_root, "work");

    /// <summary>The block's TMPDIR, where its mktemp makes the scratch directory.</summary>
    private string Tmp => Path.Combine(_root, "tmp");

    [Fact]
    public async Task FiveMinutesBlock_RunsTwiceInTheSameDirectory_AndLeavesNothingBehind()
    {
        var script = Path.Combine(_root, "walkthrough.sh");
        File.WriteAllText(script, Walkthrough(_sandboxPort, _gatewayPort));
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(Tmp);
        var environment = ChildProcess.KeywardenEnvironment();
        environment["TMPDIR"] = Tmp;

        foreach (var attempt in new[] { "first run", "second run" })
        {
            var run = await ExternalProgram.RunAsync("bash", ["-e", script], Work, environment, TimeSpan.FromSeconds(60));

            Assert.True(run.ExitCode == 0, $"{attempt}: exit {run.ExitCode}\n{run.All}");
            Assert.Contains("{\"lists\":[],\"total_items\":0", run.Out, StringComparison.Ordinal); // Mailchimp's answer, through the gateway
            Assert.Contains("\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Keywarden: path /ping", run.Out, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^\s*\d+\s+\S+\s+deny\s+path\s", run.Out); // audit tail shows the refusal
            Assert.Equal([".kw"], Directory.EnumerateFileSystemEntries(Work).Select(Path.GetFileName)); // no key.txt, no serve.log
            Assert.Empty(Directory.EnumerateFileSystemEntries(Tmp)); // the scratch directory is gone
            Assert.Empty(StartedProcesses());
            Assert.True(Loopback.IsFree(_sandboxPort), $"{attempt}: something still listens on the sandbox's port");
            Assert.True(Loopback.IsFree(_gatewayPort), $"{attempt}: something still listens on the gateway's port");
        }
    }

    [Fact]
    public void FiveMinutesBlock_KeepsItsFilesOutOfTheWorkingDirectory_AndStopsWhatItStarts()
    {
        var block = ReadmeBlock();

        Assert.Contains("umask 077", block, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^trap stop EXIT", block);
        Assert.DoesNotContain("alias ", block, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"> *(key\.txt|serve\.log)", block); // written under "$scratch" only
        Assert.Contains("--field token)", block, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        // A failed run may leave its sandbox or gateway behind: end them, by id, before the next test.
        foreach (var (id, _) in StartedProcesses())
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // it ended meanwhile
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The block with the build replaced by a link to this test run's keywarden, and the ports by free ones.</summary>
    private static string Walkthrough(int sandboxPort, int gatewayPort)
    {
        var block = ReadmeBlock();
        Assert.Contains("127.0.0.1:8099", block, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080", block, StringComparison.Ordinal);
        var builds = BuildLine().Matches(block);
        Assert.Single(builds);
        var output = builds[0].Groups["output"].Value;
        Assert.Contains($"export PATH=\"$PWD/{output}:$PATH\"", block, StringComparison.Ordinal); // runs what it built

        return BuildLine().Replace(block, $"ln -sfn '{AppContext.BaseDirectory.TrimEnd('/')}' {output}")
            .Replace("127.0.0.1:8099", $"127.0.0.1:{sandboxPort}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8080", $"127.0.0.1:{gatewayPort}", StringComparison.Ordinal);
    }

    private static string ReadmeBlock()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("\n## Five minutes with Keywarden\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no 'Five minutes with Keywarden' section");
        var start = readme.IndexOf("```sh\n", section, StringComparison.Ordinal) + "```sh\n".Length;
        var end = readme.IndexOf("\n```\n", start, StringComparison.Ordinal);
        return readme[start..(end + 1)];
    }

    /// <summary>Running processes whose command line names one of this test's addresses (<c>--listen http://127.0.0.1:PORT</c>).</summary>
    private IEnumerable<(int Id, string CommandLine)> StartedProcesses()
    {
        var addresses = new[] { _sandboxPort, _gatewayPort }.Select(p => "127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // it ended while we looked
            }

            if (commandLine.Length > 0 && addresses.Any(a => commandLine.Contains(a, StringComparison.Ordinal)))
            {
                yield return (int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture), commandLine);
            }
        }
    }

    [GeneratedRegex(@"(?m)^dotnet build src/Keywarden\.Cli -c Release -o (?<output>\S+).*$")]
    private static partial Regex BuildLine();
}
