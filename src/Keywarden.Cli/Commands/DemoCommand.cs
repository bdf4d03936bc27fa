using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Keywarden.Sandbox;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden demo</c>: a walk-through on embedded defaults (SQLite, the built-in sandbox) in a
/// throw-away data directory. The sandbox's control API plays the person who clicks in Mailchimp's
/// web UI; every Keywarden step is the real CLI command, printed before it runs.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliGlobals globals)
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's data directory instead of deleting it" };
        var command = new Command("demo", "Walk through storing a Mailchimp key and issuing gateway tokens, against the built-in sandbox") { keep };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var clock = Stopwatch.StartNew();
            var data = Path.Combine(Path.GetTempPath(), "keywarden-demo-" + Guid.NewGuid().ToString("N")[..8]);
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), cancellationToken);
            using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
            try
            {
                var step = new DemoSteps(context, data);
                await context.Out.WriteLineAsync($"Keywarden demo: Mailchimp sandbox on {sandbox.BaseAddress}, data in {data}");
                await context.Out.WriteLineAsync();

                await step.Say("1. Create the encrypted vault (SQLite + a master key file, mode 0600).");
                await step.Run(null, "init");

                await step.Say("2. In Mailchimp's web UI a person creates an API key (here: the sandbox's control API does it).");
                var account = await PostAsync(http, "_sandbox/accounts", new { name = "Acme Newsletter", datacenter = "us21" }, cancellationToken);
                var accountId = account.GetProperty("account_id").GetString()!;
                var marketing = await PostAsync(http, $"_sandbox/accounts/{accountId}/keys", new { kind = "marketing", name = "keywarden newsletter" }, cancellationToken);
                var transactional = await PostAsync(http, $"_sandbox/accounts/{accountId}/keys", new { kind = "transactional", name = "keywarden receipts" }, cancellationToken);
                await context.Out.WriteLineAsync($"   account {accountId} (us21): created keys 'keywarden newsletter' and 'keywarden receipts'");
                await context.Out.WriteLineAsync();

                await step.Say("3. Store the keys. They are read from stdin (never argv), verified against the upstream, then sealed.");
                await step.Run(marketing.GetProperty("key").GetString(), "upstream", "add", "newsletter", "--kind", "marketing",
                    "--key-name", "keywarden newsletter", "--base-url", sandbox.BaseAddress.ToString());
                await step.Run(transactional.GetProperty("key").GetString(), "upstream", "add", "receipts", "--kind", "transactional",
                    "--key-name", "keywarden receipts", "--base-url", sandbox.BaseAddress.ToString());
                await step.Run(null, "upstream", "list");

                await step.Say("4. Give each application a narrow, expiring token instead of the key.");
                var signupOutput = await step.Run(null, "token", "issue", "--upstream", "newsletter", "--name", "signup-form",
                    "--path", "/lists/*/members/**", "--expires", "30d", "--rate", "600/min");
                var receiptsOutput = await step.Run(null, "token", "issue", "--upstream", "receipts", "--name", "shop-receipts",
                    "--method", "messages/send", "--from-domain", "shop.example.org", "--max-recipients", "5", "--daily-quota", "2000");
                await step.Run(null, "token", "list");

                await step.Say("5. The stored keys check out against the upstream.");
                await step.Run(null, "upstream", "verify", "newsletter");

                await step.Say("6. Applications call the gateway exactly as they call Mailchimp: only the base URL and the key change.");
                var marketingKey = marketing.GetProperty("key").GetString()!;
                var listId = await DemoGateway.CreateAudienceAsync(http, marketingKey, cancellationToken);
                await context.Out.WriteLineAsync($"   (an audience {listId} already exists in Mailchimp)");
                var vaults = new Infrastructure.VaultFactory(step.Context, data, null);
                await using (var vault = await vaults.OpenAsync(cancellationToken))
                {
                    await DemoGateway.RunAsync(context, step, vault, listId, TokenIn(signupOutput), TokenIn(receiptsOutput), cancellationToken);
                }

                await step.Run(null, "audit", "verify");

                await context.Out.WriteLineAsync($"Done in {clock.Elapsed.TotalSeconds:0.0} s. The real keys exist only sealed in {Path.Combine(data, "keywarden.db")}.");
                return step.Failures == 0 ? ExitCodes.Ok : ExitCodes.Error;
            }
            finally
            {
                if (!result.GetValue(keep) && Directory.Exists(data))
                {
                    Directory.Delete(data, recursive: true);
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
        public async Task<string> Run(string? stdin, params string[] args)
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

            if (code != ExitCodes.Ok)
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
