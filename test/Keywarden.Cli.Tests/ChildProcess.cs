using Keywarden.Testing;

namespace Keywarden.Cli.Tests;

/// <summary>What a child process of the tests needs to run the built keywarden (run it with <see cref="ExternalProgram"/>).</summary>
internal static class ChildProcess
{
    /// <summary>
    /// The environment for a child that runs the built keywarden apphost: no KEYWARDEN_* settings of the test run, and
    /// DOTNET_ROOT pointing at the running SDK's dotnet when it is not set, so the apphost finds the runtime.
    /// </summary>
    public static Dictionary<string, string?> KeywardenEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("KEYWARDEN_", StringComparison.Ordinal)))
        {
            environment[name] = null;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is null && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host)
        {
            environment["DOTNET_ROOT"] = Path.GetDirectoryName(host);
        }

        return environment;
    }
}
