namespace Keywarden.Testing;

/// <summary>
/// test/compat: node scripts that drive the official Mailchimp npm clients. Installs the pinned clients once per test run
/// when node_modules is missing, and gives the environment the scripts run in.
/// </summary>
public static class CompatScripts
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory => System.IO.Path.Combine(RepositoryRoot.Path, "test", "compat");

    /// <summary>The path of test/compat/<paramref name="script"/>.</summary>
    public static string Path(string script) => System.IO.Path.Combine(Directory, script);

    /// <summary>
    /// Loopback only: a proxy configured for the machine must not see (or break) calls to the sandbox or the gateway.
    /// Added to (null: removed from) the test's own environment.
    /// </summary>
    public static Dictionary<string, string?> LoopbackEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["NO_PROXY"] = "127.0.0.1,localhost" };
        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            variables[proxy] = null;
        }

        return variables;
    }

    /// <summary>Runs <c>npm ci</c> in test/compat unless the clients are there.</summary>
    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (System.IO.Directory.Exists(System.IO.Path.Combine(Directory, "node_modules", "@mailchimp")))
            {
                return;
            }

            var install = await ExternalProgram.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], Directory, LoopbackEnvironment(), TimeSpan.FromMinutes(5));
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {Directory}:\n{install.Error}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
