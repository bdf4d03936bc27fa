using System.Collections.Concurrent;
using System.Diagnostics;

namespace Keywarden.Cli.Tests;

/// <summary>
/// A real <c>keywarden serve</c> (or any keywarden command) as a process of its own, on the fixture's data directory,
/// its stdout and stderr collected line by line while it runs.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(Out, e.Data);
        process.ErrorDataReceived += (_, e) => Add(Error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public ConcurrentQueue<string> Out { get; } = new();

    public ConcurrentQueue<string> Error { get; } = new();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ServeProcess Start(CliFixture cli, params string[] args) => new(Process.Start(StartInfo(cli, args))!);

    /// <summary>Starts a process prepared by <see cref="StartInfo"/> (with stdin or more environment added by the caller).</summary>
    public static ServeProcess Start(ProcessStartInfo start) => new(Process.Start(start)!);

    /// <summary>
    /// <c>dotnet keywarden.dll ARGS</c> as its own process against the fixture's data directory (and master key file
    /// there), with stdout and stderr redirected; the caller adds stdin or more environment. A <c>serve</c> gets
    /// <c>--admin-listen off</c> unless it says where the admin API listens.
    /// </summary>
    public static ProcessStartInfo StartInfo(CliFixture cli, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "keywarden.dll"));
        var given = args.ToList();
        foreach (var arg in given)
        {
            start.ArgumentList.Add(arg);
        }

        // Tests run in parallel: a serve that does not ask for the admin API leaves its default port (8201) alone.
        if (given is ["serve", ..] && !given.Contains("--admin-listen"))
        {
            start.ArgumentList.Add("--admin-listen");
            start.ArgumentList.Add("off");
        }

        start.Environment["KEYWARDEN_DATA"] = cli.DataDirectory;
        start.Environment.Remove("KEYWARDEN_MASTER_KEY");
        start.Environment.Remove("KEYWARDEN_MASTER_KEY_FILE");
        return start;
    }

    /// <summary>The first line of <paramref name="lines"/> that matches, waited for (60 s at most, or until the process exits).</summary>
    public async Task<string> WaitForLineAsync(ConcurrentQueue<string> lines, Func<string, bool> match, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (true)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                await _process.WaitForExitAsync(Ct); // the last lines are in
                return lines.FirstOrDefault(match) ?? throw new InvalidOperationException(
                    $"keywarden never printed {what}; stdout: {string.Join(" | ", Out)}; stderr: {string.Join(" | ", Error)}");
            }

            await Task.Delay(20, Ct);
        }
    }

    /// <summary>The API address from the text banner ("Keywarden gateway listening on …").</summary>
    public async Task<Uri> ListeningAsync()
    {
        const string Banner = "Keywarden gateway listening on ";
        var line = await WaitForLineAsync(Out, l => l.StartsWith(Banner, StringComparison.Ordinal), "its banner");
        return new Uri(line[Banner.Length..].Split(',')[0].Trim());
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync(Ct);

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
