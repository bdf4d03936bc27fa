using System.CommandLine;
using Keywarden.Core.Monitoring;
using Keywarden.Monitoring.Gateway;
using Keywarden.Notifications;
using System.Net;
using Keywarden.AdminApi;
using Keywarden.AdminApi.Auth;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Mailchimp;
using Keywarden.Gateway;
using Keywarden.Mailchimp.Gateway;
using Keywarden.Rotation;
using Microsoft.Extensions.Logging;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden serve</c>: the credential gateway.</summary>
internal static class ServeCommand
{
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>The command's name: it handles SIGTERM and Ctrl+C itself (a graceful drain).</summary>
    public const string Name = "serve";

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
        var logFormat = new Option<string>("--log-format")
        {
            Description = "text (on stderr; stdout has the banner) or json (one object per line on stdout, the banner as log events)",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var tlsCert = new Option<string?>("--tls-cert") { Description = "TLS certificate (PEM, chain after it) for https:// listeners; reloaded when the file changes or on SIGHUP" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The certificate's private key (PEM, unencrypted; keep it 0600)" };
        var allowPlaintext = new Option<bool>("--allow-plaintext")
        {
            Description = "Allow a plain http:// listener that other machines can reach (tokens cross the network in clear: only behind a TLS-terminating proxy)",
        };
        var metricsListen = new Option<string[]>("--metrics-listen")
        {
            Description = "Where to serve /metrics (Prometheus), /healthz and /readyz, apart from the API (repeatable; default: no /metrics)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var decoyBlock = new Option<string>("--decoy-block")
        {
            Description = "How long a client address that used a decoy token is refused, whatever token it sends: 15m, 1h, or 0 for never",
            DefaultValueFactory = _ => "15m",
        };
        var onAnomaly = new Option<string>("--on-anomaly")
        {
            Description = "What a warning or critical alert about a token does when the token does not say (token issue --on-anomaly): alert, or suspend the token",
            DefaultValueFactory = _ => "alert",
        };
        onAnomaly.AcceptOnlyFromAmong("alert", "suspend");
        var shutdownTimeout = new Option<string>("--shutdown-timeout")
        {
            Description = "On SIGTERM or Ctrl+C: stop accepting, give requests in flight this long to finish, then flush the audit and exit 0",
            DefaultValueFactory = _ => "30s",
        };
        var adminListen = new Option<string>("--admin-listen")
        {
            Description = "Where the admin API listens, ADDR:PORT, or off for none; an address other machines can reach needs --admin-tls-cert and --admin-tls-key",
            DefaultValueFactory = _ => AdminApiOptions.DefaultListen,
        };
        var adminTlsCert = new Option<string?>("--admin-tls-cert") { Description = "TLS certificate (PEM, chain after it) for the admin API" };
        var adminTlsKey = new Option<string?>("--admin-tls-key") { Description = "The admin API certificate's private key (PEM, unencrypted; keep it 0600)" };
        var noMonitor = new Option<bool>("--no-monitor") { Description = "Do not watch requests for anomalies (no alerts, no webhooks, no suspensions)" };
        var command = new Command(Name, "Run the gateway: applications call it as they call Mailchimp, with a Keywarden token as the key")
        {
            listen, trusted, maxBody, failOpen, fsync, tlsCert, tlsKey, allowPlaintext, metricsListen, logFormat, decoyBlock, onAnomaly, noMonitor, shutdownTimeout,
            adminListen, adminTlsCert, adminTlsKey,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var options = new GatewayOptions
            {
                MaxRequestBodyBytes = result.GetValue(maxBody) ?? GatewayOptions.DefaultMaxRequestBodyBytes,
                AuditFailOpen = result.GetValue(failOpen),
                AuditFsync = result.GetValue(fsync),
                TlsCertificateFile = result.GetValue(tlsCert),
                TlsKeyFile = result.GetValue(tlsKey),
                AllowPlaintext = result.GetValue(allowPlaintext),
                DecoyBlock = result.GetValue(decoyBlock)! is "0" ? TimeSpan.Zero : TimeSpec.ParseDuration(result.GetValue(decoyBlock)!, "--decoy-block"),
                ShutdownTimeout = TimeSpec.ParseDuration(result.GetValue(shutdownTimeout)!, "--shutdown-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            };
            foreach (var url in result.GetValue(listen) is { Length: > 0 } urls ? urls : [DefaultListen])
            {
                options.Urls.Add(url);
            }

            foreach (var url in result.GetValue(metricsListen) ?? [])
            {
                options.MetricsUrls.Add(url);
            }

            foreach (var cidr in result.GetValue(trusted) ?? [])
            {
                if (!IPNetwork.TryParse(cidr, out var network))
                {
                    throw new CliException($"invalid --trusted-proxy '{cidr}': expected a network such as 10.0.0.0/8");
                }

                options.TrustedProxies.Add(network);
            }

            AdminApiOptions? adminOptions;
            try
            {
                options.Validate();
                adminOptions = AdminApiOptions.Parse(result.GetValue(adminListen), result.GetValue(adminTlsCert), result.GetValue(adminTlsKey));
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            var json = result.GetValue(logFormat) == "json";
            using var loggerFactory = LoggerFactory.Create(builder =>
            {
                builder.SetMinimumLevel(LogLevel.Information);
                builder.AddFilter("Microsoft", LogLevel.Warning);
                if (json)
                {
                    // One object per line with a UTC timestamp, level, event id and category: the whole of stdout.
                    builder.AddJsonConsole(o =>
                    {
                        o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                        o.UseUtcTimestamp = true;
                        o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                    });
                }
                else
                {
                    // Diagnostics on stderr, stamped; stdout keeps the banner.
                    builder.AddSimpleConsole(o =>
                    {
                        o.SingleLine = true;
                        o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                        o.UseUtcTimestamp = true;
                    });
                    builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                }
            });

            var vaults = globals.Vaults(result);
            options.AuditSpoolDirectory = vaults.Data.AuditSpoolDirectory;
            await using var vault = await vaults.OpenAsync(cancellationToken);
            await RotationService.LogDueKeysAsync(vault.Store, context.Time.GetUtcNow(), loggerFactory.CreateLogger("Keywarden.Rotation"), cancellationToken);
            await using var notifications = new NotificationDispatcher(
                vault.Store, vault.Notifications.OpenAsync, new NotificationOptions(), context.Time, loggerFactory.CreateLogger<NotificationDispatcher>());
            await using var monitor = result.GetValue(noMonitor)
                ? null
                : new LiveMonitor(
                    vault.Store,
                    vault.Tokens,
                    notifications,
                    new LiveMonitorOptions
                    {
                        DefaultResponse = result.GetValue(onAnomaly) == "suspend" ? AnomalyResponse.Suspend : AnomalyResponse.Alert,
                        DecoyBlock = options.DecoyBlock,
                    },
                    context.Time,
                    loggerFactory.CreateLogger<LiveMonitor>());
            await using var gateway = await GatewayServer.StartAsync(
                options,
                vault,
                context.Time,
                loggerFactory,
                services: s =>
                {
                    s.AddMailchimpApis();
                    if (monitor is not null)
                    {
                        s.AddKeywardenMonitor(monitor);
                    }
                },
                cancellationToken: cancellationToken);
            var operators = new OperatorService(vault.Store, vault.MasterKey, context.Time);
            await using var admin = adminOptions is null
                ? null
                : await AdminApiServer.StartAsync(
                    adminOptions, vault, operators, new OperatorAuthenticator(operators), MailchimpApis.Catalog, context.Time, loggerFactory, vaults.KeySource,
                    cancellationToken);
            monitor?.Start();
            notifications.Start();
            if (json)
            {
                Log.Ready(loggerFactory.CreateLogger("Keywarden.Cli.Serve"), $"{gateway.BaseAddress}3.0/", $"{gateway.BaseAddress}api/1.0/",
                    string.Join(", ", gateway.MetricsAddresses.Select(a => $"{a}metrics")));
            }
            else
            {
                await context.Out.WriteLineAsync($"Keywarden gateway listening on {string.Join(", ", gateway.Addresses)}");
                await context.Out.WriteLineAsync($"  Marketing:     {gateway.BaseAddress}3.0/    Transactional: {gateway.BaseAddress}api/1.0/");
                await context.Out.WriteLineAsync(gateway.MetricsAddresses.Count == 0
                    ? $"  Health: {gateway.BaseAddress}healthz  {gateway.BaseAddress}readyz  (metrics: --metrics-listen)"
                    : $"  Health: {gateway.BaseAddress}healthz  {gateway.BaseAddress}readyz  Metrics: {string.Join("  ", gateway.MetricsAddresses.Select(a => $"{a}metrics"))}");
                if (admin is not null)
                {
                    await context.Out.WriteLineAsync($"  Admin API: {admin.Address}v1/  (OpenAPI: {admin.Address}v1/openapi.json)");
                }

                await context.Out.WriteLineAsync("Press Ctrl+C to stop.");
            }

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
