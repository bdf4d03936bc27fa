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
        var result = await ExecuteAsync("node", [Path.Combine(CompatDirectory, script)], environment);
        var lastLine = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new InvalidOperationException($"{script} printed no JSON (exit {result.ExitCode}).\nstdout: {result.Out}\nstderr: {result.Error}");
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

            var install = await ExecuteAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>());
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {CompatDirectory}:\n{install.Error}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<ProgramOutput> ExecuteAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment)
    {
        // Loopback only: a proxy configured for the machine must not see (or break) calls to the sandbox.
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["NO_PROXY"] = "127.0.0.1,localhost" };
        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            variables[proxy] = null;
        }

        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return await ExternalProgram.RunAsync(fileName, arguments, CompatDirectory, variables, Timeout);
    }
}
