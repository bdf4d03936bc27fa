using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Keywarden.Gateway;

namespace Keywarden.Cli.Commands;

/// <summary>
/// The demo's rotation runbook, end to end while an application keeps calling through the gateway: a key committed to
/// Git, found by <c>scan --git</c> (which opens the leak rotation), a <c>.env</c> sink, the new key created and the old
/// one revoked by "the person" (the sandbox's control API), <c>rotate submit</c>, <c>rotate confirm --wait</c>.
/// </summary>
internal static class DemoRotation
{
    private const int Clients = 4;
    private const string Upstream = "newsletter";

    /// <summary>The measured outcome of the runbook.</summary>
    public sealed record Outcome(TimeSpan TimeToRemediate, long ServedDuringRotation, long ServedInAll, IReadOnlyCollection<string> Failures);

    /// <summary>Where the demo keeps its leaked repository and its legacy application.</summary>
    public sealed record Places(string Root, string Repository, string EnvFile);

    public static Places PlacesIn(string root) =>
        new(root, Path.Combine(root, "app-repo"), Path.Combine(root, "legacy-app", ".env"));

    public static async Task<Outcome> RunAsync(
        CliContext context, DemoCommand.DemoSteps step, HttpClient sandbox, GatewayServer gateway, Places places,
        string accountId, string oldKey, string oldKeyId, string listId, string appToken, CancellationToken cancellationToken)
    {
        var time = context.Time;
        await step.Say($"7. Rotation, the runbook. Meanwhile an application calls the gateway on {Clients} connections with its token, without a pause.");
        await using var traffic = DemoTraffic.Start(gateway.BaseAddress, appToken, $"3.0/lists/{listId}", Clients, time, cancellationToken);
        await traffic.WaitUntilRunningAsync(cancellationToken);

        await step.Say("   a) Someone commits the newsletter key to a Git repository (config/mailchimp.env).");
        Directory.CreateDirectory(Path.Combine(places.Repository, "config"));
        await File.WriteAllTextAsync(
            Path.Combine(places.Repository, "config", "mailchimp.env"), $"MAILCHIMP_API_KEY={oldKey}\nMAILCHIMP_LIST_ID={listId}\n", cancellationToken);
        var git = await CommitAsync(places.Repository, cancellationToken);
        await context.Out.WriteLineAsync(git
            ? $"   $ git commit -m 'Add Mailchimp config'   (in {places.Repository})"
            : "   (git is not installed: the scan reads the working tree instead of the history)");
        await context.Out.WriteLineAsync();

        await step.Say("   b) The scanner finds it, names the stored key's upstream and opens a rotation with reason leak.");
        var leakFound = time.GetTimestamp();
        var servedAtLeak = traffic.Served;
        await step.Run(null, ExitCodes.Findings, git ? ["scan", "--git", places.Repository] : ["scan", places.Repository]);

        await step.Say("   c) A legacy application that cannot use the gateway holds the raw key in its .env: it becomes a sink.");
        Directory.CreateDirectory(Path.GetDirectoryName(places.EnvFile)!);
        await File.WriteAllTextAsync(places.EnvFile, $"# legacy batch mailer\nMAILCHIMP_API_KEY={oldKey}\nBATCH_SIZE=500\n", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(places.EnvFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await step.Run(null, "sink", "add", Upstream, $"env:{places.EnvFile}#MAILCHIMP_API_KEY");

        var keyName = $"keywarden-{Upstream}-{time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        await step.Say($"   d) In Mailchimp's UI the person creates a key named \"{keyName}\" (here: the sandbox's control API).");
        using (var created = await sandbox.PostAsJsonAsync($"_sandbox/accounts/{accountId}/keys", new { kind = "marketing", name = keyName }, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
            var newKey = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
            await context.Out.WriteLineAsync();

            await step.Say("   e) ...and submits it on stdin: verified (works, new, same account), promoted, the gateway switches, the .env is rewritten.");
            await step.Run(newKey, "rotate", "submit", Upstream);
        }

        // The person revokes the old key once the gateway runs on the new one: the reload its 100 ms poll would do, and
        // every client's request in flight on the old key answered.
        await gateway.RefreshTokensAsync(cancellationToken);
        await traffic.WaitForFreshRequestsAsync(cancellationToken);
        await step.Say("   f) The person revokes the old key in Mailchimp's UI (here: the sandbox's control API).");
        using (var revoked = await sandbox.PostAsync($"_sandbox/keys/{oldKeyId}/revoke", null, cancellationToken))
        {
            revoked.EnsureSuccessStatusCode();
        }

        await context.Out.WriteLineAsync();
        await step.Say("   g) Keywarden checks rather than trusts: the upstream must refuse the old key (401).");
        await step.Run(null, "rotate", "confirm", Upstream, "--wait", "--interval", "100ms", "--timeout", "30s");
        var remediated = time.GetElapsedTime(leakFound);
        var servedDuring = traffic.Served - servedAtLeak;

        await step.Say("   h) Where things stand.");
        await step.Run(null, "rotate", "status", Upstream);
        await traffic.DisposeAsync();
        return new Outcome(remediated, servedDuring, traffic.Served, [.. traffic.Failures]);
    }

    /// <summary>A new repository with one commit holding the key; false when git cannot be run.</summary>
    private static async Task<bool> CommitAsync(string repository, CancellationToken cancellationToken)
    {
        try
        {
            await GitAsync(repository, cancellationToken, "-c", "init.defaultBranch=main", "init", "-q");
            await GitAsync(repository, cancellationToken, "add", "config/mailchimp.env");
            await GitAsync(repository, cancellationToken, "-c", "user.name=Dev", "-c", "user.email=dev@example.org", "-c", "commit.gpgsign=false",
                "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "Add Mailchimp config");
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    private static async Task GitAsync(string directory, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new CliException($"git {args[^2]} {args[^1]} failed: {(await error).Trim()}");
        }
    }
}
