using System.CommandLine;
using System.Net;
using Keywarden.Gateway;
using Keywarden.Rotation;
using Microsoft.Extensions.Logging;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden serve</c>: the credential gateway.</summary>
internal static class ServeCommand
{
    public const string DefaultListen = "http://127.0.0.1:8080";

    public static Command Create(CliGlobals globals)
    {
        var listen = new Option<string[]>("--listen") { Description = $"Address to listen on (repeatable; default {DefaultListen})", Arity = ArgumentArity.ZeroOrMore };
        var trusted = new Option<string[]>("--trusted-proxy") { Description = "Proxy network whose X-Forwarded-For is believed (repeatable; default none)", Arity = ArgumentArity.ZeroOrMore };
        var maxBody = new Option<long?>("--max-body") { Description = "Largest request body in bytes (default 10 MiB)" };
        var failOpen = new Option<bool>("--audit-fail-open") { Description = "Serve traffic even when audit records cannot be written (default: refuse with 503)" };
        var fsync = new Option<bool>("--audit-fsync")
        {
            Description = "Hold each response until its audit record is on disk (fsync), surviving a power loss too (default: until the OS has it, surviving a crash of Keywarden)",
        };
        var logFormat = new Option<string>("--log-format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("serve", "Run the gateway: applications call it as they call Mailchimp, with a Keywarden token as the key")
        {
            listen, trusted, maxBody, failOpen, fsync, logFormat,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new GatewayOptions
            {
                MaxRequestBodyBytes = result.GetValue(maxBody) ?? GatewayOptions.DefaultMaxRequestBodyBytes, AuditFailOpen = result.GetValue(failOpen), AuditFsync = result.GetValue(fsync),
            };
            foreach (var url in result.GetValue(listen) is { Length: > 0 } urls ? urls : [DefaultListen])
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new CliException($"invalid --listen '{url}': expected http://host:port, e.g. {DefaultListen}");
                }

                options.Urls.Add(url);
            }

            foreach (var cidr in result.GetValue(trusted) ?? [])
            {
                if (!IPNetwork.TryParse(cidr, out var network))
                {
                    throw new CliException($"invalid --trusted-proxy '{cidr}': expected a network such as 10.0.0.0/8");
                }

                options.TrustedProxies.Add(network);
            }

            using var loggerFactory = LoggerFactory.Create(builder =>
            {
                builder.SetMinimumLevel(LogLevel.Information);
                builder.AddFilter("Microsoft", LogLevel.Warning);
                if (result.GetValue(logFormat) == "json")
                {
                    builder.AddJsonConsole();
                }
                else
                {
                    builder.AddSimpleConsole(o => o.SingleLine = true);
                }
            });

            var vaults = globals.Vaults(result);
            options.AuditSpoolDirectory = vaults.Data.AuditSpoolDirectory;
            await using var vault = await vaults.OpenAsync(cancellationToken);
            await RotationService.LogDueKeysAsync(vault.Store, globals.Context.Time.GetUtcNow(), loggerFactory.CreateLogger("Keywarden.Rotation"), cancellationToken);
            await using var gateway = await GatewayServer.StartAsync(options, vault, globals.Context.Time, loggerFactory, cancellationToken: cancellationToken);
            await globals.Context.Out.WriteLineAsync($"Keywarden gateway listening on {string.Join(", ", gateway.Addresses)}");
            await globals.Context.Out.WriteLineAsync($"  Marketing:     {gateway.BaseAddress}3.0/    Transactional: {gateway.BaseAddress}api/1.0/");
            await globals.Context.Out.WriteLineAsync($"  Health: {gateway.BaseAddress}healthz  {gateway.BaseAddress}readyz  {gateway.BaseAddress}metrics");
            await globals.Context.Out.WriteLineAsync("Press Ctrl+C to stop.");
            try
            {
                await gateway.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to a graceful stop that flushes the audit queue.
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
