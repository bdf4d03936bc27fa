using System.CommandLine;
using Keywarden.Monitoring.Gateway;
using Microsoft.Extensions.Logging.Abstractions;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Keywarden.Gateway;
using Keywarden.Mailchimp.Gateway;
using Keywarden.Sandbox;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden demo</c>: a walk-through on embedded defaults (SQLite, the built-in sandbox) in a
/// throw-away directory: the vault, tokens, the gateway's policy, then the whole rotation runbook (a leak
/// found in Git, the leak rotation, a sink, zero failed requests) with its time-to-remediate. The
/// sandbox's control API plays the person who clicks in Mailchimp's web UI; every Keywarden step is the
/// real CLI command, printed before it runs. Exit 2 if any step or any request of the application failed.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliGlobals globals)
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's directory (data, the leaked repository, the .env sink) instead of deleting it" };
        var command = new Command("demo", "Walk through the vault, gateway tokens and a leak-triggered key rotation under traffic, against the built-in sandbox") { keep };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var started = context.Time.GetTimestamp();
            var root = Path.Combine(Path.GetTempPath(), "keywarden-demo-" + Guid.NewGuid().ToString("N")[..8]);
            var data = Path.Combine(root, "data");
            var places = DemoRotation.PlacesIn(root);
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), cancellationToken);
            using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
            try
            {
                var step = new DemoSteps(context, data);
                await context.Out.WriteLineAsync($"Keywarden demo: Mailchimp sandbox on {sandbox.BaseAddress}, everything in {root}");
                await context.Out.WriteLineAsync();

                await step.Say("1. Create the encrypted vault (SQLite + a master key file, mode 0600).");
                await step.Run(null, "init");

                await step.Say("2. In Mailchimp's web UI a person creates an API key (here: the sandbox's control API does it).");
                var account = await PostAsync(http, "_sandbox/accounts", new { name = "Acme Newsletter", datacenter = "us21" }, cancellationToken);
                var accountId = account.GetProperty("account_id").GetString()!;
                var marketing = await PostAsync(http, $"_sandbox/accounts/{accountId}/keys", new { kind = "marketing", name = "keywarden newsletter" }, cancellationToken);
                var transactional = await PostAsync(http, $"_sandbox/accounts/{accountId}/keys", new { kind = "transactional", name = "keywarden receipts" }, cancellationToken);
                var marketingKey = marketing.GetProperty("key").GetString()!;
                await context.Out.WriteLineAsync($"   account {accountId} (us21): created keys 'keywarden newsletter' and 'keywarden receipts'");
                await context.Out.WriteLineAsync();

                await step.Say("3. Store the keys. They are read from stdin (never argv), verified against the upstream, then sealed.");
                await step.Run(marketingKey, "upstream", "add", "newsletter", "--kind", "marketing",
                    "--key-name", "keywarden newsletter", "--base-url", sandbox.BaseAddress.ToString());
                await step.Run(transactional.GetProperty("key").GetString(), "upstream", "add", "receipts", "--kind", "transactional",
                    "--key-name", "keywarden receipts", "--base-url", sandbox.BaseAddress.ToString());
                await step.Run(null, "upstream", "list");

                await step.Say("4. Give each application a narrow, expiring token instead of the key.");
                var signupOutput = await step.Run(null, "token", "issue", "--upstream", "newsletter", "--name", "signup-form",
                    "--path", "/lists/*/members/**", "--expires", "30d", "--rate", "600/min");
                var receiptsOutput = await step.Run(null, "token", "issue", "--upstream", "receipts", "--name", "shop-receipts",
                    "--method", "messages/send", "--from-domain", "shop.example.org", "--max-recipients", "5", "--daily-quota", "2000");
                var syncOutput = await step.Run(null, "token", "issue", "--upstream", "newsletter", "--name", "newsletter-sync",
                    "--read-only", "--path", "/lists/**", "--expires", "30d");
                var decoyOutput = await step.Run(null, "token", "decoy", "--upstream", "newsletter", "--name", "planted in the CI variables");
                await step.Run(null, "token", "list");

                await step.Say("5. The stored keys check out against the upstream.");
                await step.Run(null, "upstream", "verify", "newsletter");

                await step.Say("6. Applications call the gateway exactly as they call Mailchimp: only the base URL and the key change.");
                var listId = await DemoGateway.CreateAudienceAsync(http, marketingKey, cancellationToken);
                await context.Out.WriteLineAsync($"   (an audience {listId} already exists in Mailchimp)");
                var vaults = new Infrastructure.VaultFactory(step.Context, data, null);
                DemoRotation.Outcome outcome;
                await using (var vault = await vaults.OpenAsync(cancellationToken))
                {
                    var options = new GatewayOptions { AuditSpoolDirectory = vaults.Data.AuditSpoolDirectory };
                    options.Urls.Add("http://127.0.0.1:0");
                    await using var monitor = new LiveMonitor(
                        vault.Store, vault.Tokens, notifications: null, new LiveMonitorOptions { DecoyBlock = options.DecoyBlock }, context.Time, NullLogger<LiveMonitor>.Instance);
                    await using var gateway = await GatewayServer.StartAsync(
                        options,
                        vault,
                        context.Time,
                        services: s => s.AddMailchimpApis().AddKeywardenMonitor(monitor),
                        cancellationToken: cancellationToken);
                    monitor.Start();
                    await context.Out.WriteLineAsync($"   gateway listening on {gateway.BaseAddress}");
                    await DemoGateway.RunAsync(context, step, gateway, vault, listId, TokenIn(signupOutput), TokenIn(receiptsOutput), cancellationToken);
                    outcome = await DemoRotation.RunAsync(context, step, http, gateway, places, accountId, marketingKey,
                        marketing.GetProperty("key_id").GetString()!, listId, TokenIn(syncOutput), cancellationToken);
                    await DemoGateway.MonitorAsync(context, step, gateway, vault, TokenIn(decoyOutput), cancellationToken);
                    await gateway.FlushAuditAsync(cancellationToken);
                }

                await step.Say("9. Every admin action and every request is in the hash-chained audit log, and the chain is intact.");
                await step.Run(null, "audit", "verify");

                var failed = outcome.Failures.Count;
                await context.Out.WriteLineAsync(
                    $"Time to remediate: {outcome.TimeToRemediate.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s, from the scan that found the leak to the old key confirmed revoked.");
                await context.Out.WriteLineAsync(
                    $"Requests served through the gateway during the rotation: {outcome.ServedDuringRotation} ({outcome.ServedInAll} in all); failed: {failed}"
                    + (failed == 0 ? "." : $" ({string.Join(", ", outcome.Failures.Distinct().Take(3))})."));
                await context.Out.WriteLineAsync(
                    $"Done in {context.Time.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s. "
                    + $"The new key is sealed in {Path.Combine(data, "keywarden.db")} and in the sink {places.EnvFile}; the leaked one is dead.");
                return step.Failures == 0 && failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
            }
            finally
            {
                if (!result.GetValue(keep) && Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        });
        return command;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private static string TokenIn(string output) =>
        output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(Core.Tokens.GatewayToken.Prefix, StringComparison.Ordinal));

    internal sealed class DemoSteps(CliContext context, string data)
    {
        public int Failures { get; private set; }

        public Task Say(string text) => context.Out.WriteLineAsync(text);

        /// <summary>A quiet context on the demo's data directory, for opening its vault.</summary>
        public CliContext Context => new()
        {
            In = new StringReader(""),
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            InputRedirected = true,
            Environment = new Dictionary<string, string?> { ["KEYWARDEN_DATA"] = data },
            HomeDirectory = context.HomeDirectory,
            Time = context.Time,
        };

        /// <summary>Runs a real CLI command against the demo's data directory; <paramref name="stdin"/> is piped, never shown.</summary>
        public Task<string> Run(string? stdin, params string[] args) => Run(stdin, ExitCodes.Ok, args);

        /// <summary>As <see cref="Run(string?, string[])"/>, for a command whose expected exit code is <paramref name="expected"/> (a scan's 1).</summary>
        public async Task<string> Run(string? stdin, int expected, string[] args)
        {
            await context.Out.WriteLineAsync("   $ keywarden " + string.Join(' ', args.Select(Quote)) + (stdin is null ? "" : " < key.txt"));
            var output = new StringWriter();
            var inner = new CliContext
            {
                In = new StringReader(stdin ?? ""),
                Out = output,
                Error = output,
                InputRedirected = true,
                Environment = new Dictionary<string, string?> { ["KEYWARDEN_DATA"] = data },
                HomeDirectory = context.HomeDirectory,
                Time = context.Time,
            };
            var code = await CliApp.RunAsync(args, inner);
            foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await context.Out.WriteLineAsync("     " + line.TrimEnd('\r'));
            }

            if (code != expected)
            {
                Failures++;
                await context.Out.WriteLineAsync($"     (exit code {code})");
            }

            await context.Out.WriteLineAsync();
            return output.ToString();
        }

        private static string Quote(string arg) => arg.Contains(' ', StringComparison.Ordinal) || arg.Contains('*', StringComparison.Ordinal) ? $"'{arg}'" : arg;
    }
}
