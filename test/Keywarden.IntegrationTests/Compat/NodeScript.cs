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

    /// <summary>Runs test/compat/<paramref name="script"/> and parses the one JSON object it prints.</summary>
    public static async Task<JsonObject> RunAsync(string script, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        await CompatScripts.EnsureInstalledAsync(cancellationToken);
        var variables = CompatScripts.LoopbackEnvironment();
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var result = await ExternalProgram.RunAsync("node", [CompatScripts.Path(script)], CompatScripts.Directory, variables, Timeout);
        var lastLine = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new InvalidOperationException($"{script} printed no JSON (exit {result.ExitCode}).\nstdout: {result.Out}\nstderr: {result.Error}");
        }

        return JsonNode.Parse(lastLine)!.AsObject();
    }
}
