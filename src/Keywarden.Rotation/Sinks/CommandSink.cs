using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Keywarden.Core.Keys;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// Runs a program (directly, no shell) that receives the new key on stdin, followed by a newline,
/// and then end of input; never in its arguments or environment, which other users can read in
/// <c>/proc</c>. Exit code 0 means delivered. A program still running after the timeout is killed
/// with its whole process tree.
/// </summary>
internal sealed class CommandSink : IKeySink
{
    /// <summary>How many of the program's last stderr lines a failure message quotes.</summary>
    internal const int StderrLinesShown = 5;

    private readonly KeySinkSpec _spec;
    private readonly TimeSpan _timeout;

    public CommandSink(KeySinkSpec spec, TimeSpan timeout)
    {
        _spec = spec;
        _timeout = timeout;
    }

    /// <inheritdoc />
    public string Description => _spec.ToString();

    /// <inheritdoc />
    /// <remarks>The program must exist: a path to an executable file, or a name found on PATH. It is not run.</remarks>
    public void Check()
    {
        var program = _spec.Command[0];
        var candidates = program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || program.Contains('/', StringComparison.Ordinal)
            ? [program]
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, program));
        if (!candidates.Any(IsExecutable))
        {
            throw new SinkException($"{program} is not an executable file{(candidates.Count() == 1 ? "" : " on PATH")}: the sink could not run it at a rotation");
        }
    }

    /// <inheritdoc />
    public async Task DeliverAsync(UpstreamKey newKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        var program = _spec.Command[0];
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _spec.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new SinkException($"cannot start {program}: {e.Message}", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var stderr = new StderrTail(StderrLinesShown, newKey.Value);
        var stderrDone = stderr.ReadAsync(process.StandardError);
        try
        {
            await WriteKeyAsync(process, newKey, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            // A grandchild may still hold the pipes open; the timeout covers that too.
            await Task.WhenAll(stdout, stderrDone).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            try
            {
                await stderrDone.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // stderr held open by something outside the tree: report what arrived.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new SinkException($"{Description} did not finish within {_timeout.TotalSeconds:0.###} s and was killed{stderr.Render()}");
        }

        if (process.ExitCode != 0)
        {
            throw new SinkException($"{Description} failed with exit code {process.ExitCode}{stderr.Render()}");
        }
    }

    private static async Task WriteKeyAsync(Process process, UpstreamKey key, CancellationToken cancellationToken)
    {
        var stdin = process.StandardInput.BaseStream;
        try
        {
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(key.Value + "\n"), cancellationToken);
            await stdin.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The program closed its stdin without reading (broken pipe): its exit code says what happened.
        }

        try
        {
            stdin.Close();
        }
        catch (IOException)
        {
            // Same broken pipe, seen on close.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
