using System.Diagnostics;
using System.Globalization;

namespace Keywarden.Testing;

/// <summary>
/// A real Git repository in a temporary directory, driven with the git command line. Commits get a fixed author
/// and a date one minute after the previous one, so attribution is checkable.
/// </summary>
public sealed class TestRepository : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new("kw-git-test-");
    private int _commits;

    public TestRepository()
    {
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "Test Author");
        Git("config", "user.email", "author@example.test");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path => _directory.Path;

    public string Write(string relative, string text) => _directory.Write(relative, text);

    /// <summary>Stages everything and commits as <paramref name="author"/>; returns the commit id and its author date.</summary>
    public (string Sha, DateTimeOffset Date) Commit(string message, string author = "Test Author")
    {
        Git("add", "-A");
        var date = Epoch.AddMinutes(++_commits);
        var stamp = date.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        Run(["commit", "-q", "--allow-empty", "-m", message, "--author", $"{author} <{author.Replace(' ', '.').ToLowerInvariant()}@example.test>"],
            new() { ["GIT_AUTHOR_DATE"] = stamp, ["GIT_COMMITTER_DATE"] = stamp });
        return (Git("rev-parse", "HEAD"), date);
    }

    /// <summary>Runs git in the repository and returns its trimmed stdout; fails the test when git fails.</summary>
    public string Git(params string[] arguments) => Run(arguments, []);

    public string Run(string[] arguments, Dictionary<string, string> environment, bool check = true) => Exec("git", arguments, environment, check).Output;

    /// <summary>Runs a program in the repository; returns its exit code and what it printed (stdout then stderr).</summary>
    public (int ExitCode, string Output) Exec(string program, string[] arguments, Dictionary<string, string> environment, bool check = true)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var all = output.Trim() + error.GetAwaiter().GetResult();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {all}");
        }

        return (process.ExitCode, check ? output.Trim() : all);
    }

    public void Dispose() => _directory.Dispose(); // git makes its objects read-only: TempDirectory tolerates that
}
