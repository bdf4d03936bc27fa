using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Keywarden.Scanner.Git;

/// <summary>Runs the <c>git</c> command line in a repository: the plumbing every Git installation has, no native library.</summary>
internal static class GitProcess
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Starts <c>git -C repository ARGS</c> with stdout (and stdin when asked) redirected; stderr is collected for errors.</summary>
    /// <exception cref="ScanException">git is not installed.</exception>
    public static Process Start(string repository, IEnumerable<string> arguments, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            StandardInputEncoding = redirectInput ? Utf8 : null,
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(repository);
        // Paths as bytes, not quoted; no pager, no prompt, no repository config that would change the output shape.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("core.quotePath=false");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_PAGER"] = "cat";
        info.Environment["LC_ALL"] = "C";
        try
        {
            var process = Process.Start(info) ?? throw new ScanException("cannot start git");
            if (redirectInput)
            {
                process.StandardInput.AutoFlush = false;
            }

            return process;
        }
        catch (Win32Exception e)
        {
            throw new ScanException($"cannot run git ({e.Message}); is it installed?", e);
        }
    }

    /// <summary>Runs git to the end and returns its trimmed stdout; a failure is a <see cref="ScanException"/> with git's first error line.</summary>
    public static async Task<string> RunAsync(string repository, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        using var process = Start(repository, arguments);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await EnsureSuccessAsync(process, error);
        return (await output).Trim();
    }

    /// <summary>Throws when git failed, with its first error line (git never prints blob contents there).</summary>
    public static async Task EnsureSuccessAsync(Process process, Task<string> stderr)
    {
        var error = await stderr;
        if (process.ExitCode != 0)
        {
            var line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            throw new ScanException($"git failed (exit {process.ExitCode}): {line}");
        }
    }

    /// <summary>The top directory of the work tree that holds <paramref name="directory"/>.</summary>
    /// <exception cref="ScanException">It is not in a Git repository.</exception>
    public static async Task<string> FindRepositoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            throw new ScanException($"no such directory: {directory}");
        }

        try
        {
            return await RunAsync(directory, ["rev-parse", "--show-toplevel"], cancellationToken);
        }
        catch (ScanException e) when (e.InnerException is null)
        {
            throw new ScanException($"not a git repository: {directory}", e);
        }
    }

    /// <summary>
    /// Where to run git for the history of the repository that holds <paramref name="directory"/>: the top of its work
    /// tree, or the repository itself when it is bare (<c>git clone --bare</c>/<c>--mirror</c>, as servers and backups
    /// hold them), which has history but no work tree and no index.
    /// </summary>
    /// <exception cref="ScanException">It is not in a Git repository.</exception>
    public static async Task<(string Path, bool Bare)> FindHistoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            throw new ScanException($"no such directory: {directory}");
        }

        string bare;
        try
        {
            bare = await RunAsync(directory, ["rev-parse", "--is-bare-repository"], cancellationToken);
        }
        catch (ScanException e) when (e.InnerException is null)
        {
            throw new ScanException($"not a git repository: {directory}", e);
        }

        return bare.Trim() == "true"
            ? (await RunAsync(directory, ["rev-parse", "--absolute-git-dir"], cancellationToken), true)
            : (await FindRepositoryAsync(directory, cancellationToken), false);
    }

    /// <summary>Kills a git that is still running (the scan was cancelled or failed half-way).</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
