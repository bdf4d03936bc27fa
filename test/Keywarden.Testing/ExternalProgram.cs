using System.Diagnostics;

namespace Keywarden.Testing;

/// <summary>Runs a program (bash, node, git, dotnet) to its end and collects what it printed.</summary>
public static class ExternalProgram
{
    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="workingDirectory"/> with stdin empty; <paramref name="environment"/>
    /// adds to (or, with null, removes from) the test's own. Past <paramref name="timeout"/> the process tree is killed and the
    /// test fails.
    /// </summary>
    public static async Task<ProgramOutput> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            try
            {
                // EOF comes at once, unless a process it started (and left running) still holds stdout or stderr.
                await Task.WhenAll(output, error).WaitAsync(TimeSpan.FromSeconds(10), deadline.Token);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException(
                    $"{program} exited ({process.ExitCode}), but something it started still holds its output open: a process left running");
            }

            return new ProgramOutput(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} ran longer than {timeout}");
        }
    }
}
