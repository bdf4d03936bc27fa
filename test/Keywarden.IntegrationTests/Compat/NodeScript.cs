using System.Diagnostics;
using System.Text.Json.Nodes;
using Keywarden.Testing;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>
/// Runs a script of test/compat with node. Configuration, secrets included, goes through environment variables,
/// never argv (argv shows in ps). Installs the pinned npm clients first when node_modules is missing.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string CompatDirectory => Path.Combine(RepositoryRoot.Path, "test", "compat");

    /// <summary>Runs test/compat/<paramref name="script"/> and parses the one JSON object it prints.</summary>
    public static async Task<JsonObject> RunAsync(string script, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(cancellationToken);
        var result = await ExecuteAsync("node", [Path.Combine(CompatDirectory, script)], environment, cancellationToken);
        var lastLine = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new InvalidOperationException($"{script} printed no JSON (exit {result.ExitCode}).\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        }

        return JsonNode.Parse(lastLine)!.AsObject();
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Directory.Exists(Path.Combine(CompatDirectory, "node_modules", "@mailchimp")))
            {
                return;
            }

            var install = await ExecuteAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>(), cancellationToken);
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {CompatDirectory}:\n{install.Stderr}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecuteAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = CompatDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Loopback only: a proxy configured for the machine must not see (or break) calls to the sandbox.
        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            startInfo.Environment.Remove(proxy);
        }

        startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
