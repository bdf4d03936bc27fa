using System.Text.Json;
using Keywarden.Gateway.Limits;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Pipeline;
using Keywarden.Gateway.Tokens;
using Keywarden.Storage;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Vault;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway;

/// <summary>
/// <c>keywarden serve</c>: the credential gateway on Kestrel. Applications call it exactly as they
/// call Mailchimp (<c>/3.0/…</c>, <c>/api/1.0/…</c>, <c>/api/1.3/…</c>) with a Keywarden token
/// where the key would be. Also serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    // Categories that log request targets, paths or proxied URLs below Warning.
    private static readonly string[] UrlLoggingCategories = ["Microsoft.AspNetCore", "Yarp"];

    private readonly WebApplication _app;
    private readonly AuditQueue _audit;
    private readonly TokenCache _tokens;

    private GatewayServer(WebApplication app, AuditQueue audit, TokenCache tokens, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        _audit = audit;
        _tokens = tokens;
        Addresses = addresses;
    }

    /// <summary>The addresses Kestrel bound (a port 0 resolved).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first bound address, with a trailing slash.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>Starts the gateway over an opened vault (which it does not own).</summary>
    /// <param name="options">Where to listen and the gateway's limits.</param>
    /// <param name="vault">The opened vault: tokens, upstreams and the audit store.</param>
    /// <param name="timeProvider">The clock (expiry, rate windows, quotas); the system clock by default.</param>
    /// <param name="loggerFactory">
    /// Where to log. Framework categories that write request targets or proxied URLs (<c>Microsoft.AspNetCore.*</c>,
    /// <c>Yarp.*</c>) only reach it from Warning up, and hosting's per-request lines and RequestPath scope not at all,
    /// whatever its own filters: a path or query string may carry a secret.
    /// </param>
    /// <param name="auditOptions">Audit queue settings. Fail-open holds when either these or <paramref name="options"/> ask for it.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<GatewayServer> StartAsync(
        GatewayOptions options, KeywardenVault vault, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        AuditQueueOptions? auditOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(vault);
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var urls = options.Urls.Count == 0 ? ["http://127.0.0.1:8080"] : options.Urls.ToArray();

        // The content root is the install directory, not the working directory: the host watches its content root for
        // configuration changes (recursively), and run from a home directory holding ~/.keywarden that watch would wake
        // on every audit commit. Only the options configure the gateway: no appsettings.json or ASPNETCORE_* variable
        // of the working directory or environment can add a listener or change a limit.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGracePeriod);
        });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            // Through the host's own factory, so the filters below hold whatever the caller's factory lets through.
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
            foreach (var category in UrlLoggingCategories)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }

            // Off entirely: while it is enabled at all, hosting opens a RequestPath scope around every request, and a
            // provider that prints scopes would attach the path to any line logged during the request.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        // One answer to "fail open?" for the queue, the pipeline and /readyz.
        var queueOptions = WithFailOpen(auditOptions ?? new AuditQueueOptions(), options.AuditFailOpen || auditOptions?.FailOpen == true);
        if (options.AuditFsync)
        {
            queueOptions.Flush = AuditFlush.Disk;
        }
        AuditSpool? spool = null;
        AuditQueue? queue = null;
        if (options.AuditSpoolDirectory is { } spoolDirectory && !options.AuditFsync)
        {
            // What a crashed gateway spooled and the store never got goes in first, then this gateway spools anew.
            await AuditSpool.RecoverAsync(spoolDirectory, vault.Store, cancellationToken);
            var head = await vault.Store.TailAsync(1, cancellationToken) is [var last] ? last.Sequence : 0;
            spool = AuditSpool.Open(spoolDirectory, () => Math.Max(head, queue?.LastWrittenSequence ?? 0), time);
        }

        builder.Services.AddKeywardenGateway(options, vault, time, queueOptions, spool);
        var app = builder.Build();
        var tokens = app.Services.GetRequiredService<TokenCache>();
        var audit = queue = app.Services.GetRequiredService<AuditQueue>();
        var guard = app.Services.GetRequiredService<KeyConcurrencyGuard>();
        var metrics = app.Services.GetRequiredService<GatewayMetrics>();
        var endpoint = app.Services.GetRequiredService<GatewayEndpoint>();

        // One terminal handler, no endpoint routing: every API request goes straight to the pipeline (routing would
        // cost each of them a matcher run for the sake of three operational paths).
        app.Run(context =>
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                switch (context.Request.Path.Value)
                {
                    case "/healthz":
                        return WriteTextAsync(context, "ok\n", "text/plain; charset=utf-8", StatusCodes.Status200OK);
                    case "/readyz":
                        var (ready, body) = Readiness(tokens, audit, queueOptions.FailOpen);
                        return WriteTextAsync(context, body, "application/json", ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
                    case "/metrics":
                        return WriteTextAsync(context, RenderMetrics(metrics, audit, guard, tokens), "text/plain; version=0.0.4", StatusCodes.Status200OK);
                }
            }

            return endpoint.InvokeAsync(context);
        });

        await tokens.RefreshAsync(force: true, cancellationToken);
        audit.Start();
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.EndsWith('/') ? a : a + "/"))
            .ToList();
        Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<GatewayServer>(), string.Join(", ", addresses));
        return new GatewayServer(app, audit, tokens, addresses);
    }

    /// <summary>Reloads tokens and upstreams from the store now (normally done by polling).</summary>
    public Task RefreshTokensAsync(CancellationToken cancellationToken = default) => _tokens.RefreshAsync(force: true, cancellationToken);

    /// <summary>Waits until every audit record enqueued so far is written.</summary>
    public Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit.FlushAsync(cancellationToken);

    /// <summary>Completes when the host stops (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    private static (bool Ready, string Body) Readiness(TokenCache tokens, AuditQueue audit, bool failOpen)
    {
        var problems = new List<string>();
        var ready = true;
        if (!tokens.Loaded)
        {
            problems.Add("token cache not loaded");
            ready = false;
        }

        if (!audit.Healthy)
        {
            // Fail-open is the operator's choice to keep serving: readiness must not take the instance out anyway.
            problems.Add(failOpen ? "audit failing (fail-open: serving unaudited)" : "audit failing: refusing traffic");
            ready &= failOpen;
        }

        return (ready, JsonSerializer.Serialize(new Dictionary<string, object> { ["ready"] = ready, ["problems"] = problems }));
    }

    private static string RenderMetrics(GatewayMetrics metrics, AuditQueue audit, KeyConcurrencyGuard guard, TokenCache tokens) =>
        metrics.Render(new Dictionary<string, double>
        {
            ["keywarden_audit_queue_depth"] = audit.Depth,
            ["keywarden_audit_healthy"] = audit.Healthy ? 1 : 0,
            ["keywarden_audit_last_commit_seconds"] = audit.LastCommitDuration.TotalSeconds,
            ["keywarden_key_slots_waiting"] = guard.Waiting,
            ["keywarden_key_slots_in_flight"] = guard.InFlight,
            ["keywarden_tokens_cached"] = tokens.Current.Tokens.Count,
            ["keywarden_token_cache_revision"] = tokens.Current.Revision,
        });

    private static Task WriteTextAsync(HttpContext context, string body, string contentType, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static AuditQueueOptions WithFailOpen(AuditQueueOptions options, bool failOpen) => new()
    {
        Capacity = options.Capacity,
        MaxBatch = options.MaxBatch,
        FlushInterval = options.FlushInterval,
        FailOpen = failOpen,
        Flush = options.Flush,
        RetryDelay = options.RetryDelay,
        MaxRetryDelay = options.MaxRetryDelay,
        ShutdownTimeout = options.ShutdownTimeout,
    };

    /// <summary>Stops accepting, lets requests in flight finish, then flushes the audit queue.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _audit.DisposeAsync();
        await _app.DisposeAsync();
    }
}
