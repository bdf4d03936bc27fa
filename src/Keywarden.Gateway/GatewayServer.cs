using System.Net;
using System.Security.Authentication;
using Keywarden.Application;
using Keywarden.Gateway.Hosting;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Tokens;
using Keywarden.Storage;
using Keywarden.Gateway.Audit;
using Keywarden.Storage.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    private readonly TlsCertificate? _tls;

    private GatewayServer(WebApplication app, AuditQueue audit, TokenCache tokens, IReadOnlyList<Uri> addresses, IReadOnlyList<Uri> metricsAddresses, TlsCertificate? tls)
    {
        _app = app;
        _audit = audit;
        _tokens = tokens;
        _tls = tls;
        Addresses = addresses;
        MetricsAddresses = metricsAddresses;
    }

    /// <summary>The addresses the API listens on (a port 0 resolved).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The addresses <c>/metrics</c> is served on (<see cref="GatewayOptions.MetricsUrls"/>); empty when none.</summary>
    public IReadOnlyList<Uri> MetricsAddresses { get; }

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
    /// <param name="services">
    /// Adds to the gateway's services after its own: the APIs it serves (<see cref="Pipeline.IApiFlow"/>, at least one:
    /// <c>AddMailchimpApis()</c>), and e.g. an <see cref="Outcomes.IRequestOutcomeObserver"/>, called after the audit and
    /// the metrics for every request.
    /// </param>
    /// <exception cref="InvalidOperationException">No API is registered.</exception>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<GatewayServer> StartAsync(
        GatewayOptions options, KeywardenVault vault, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        AuditQueueOptions? auditOptions = null, Action<IServiceCollection>? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(vault);
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var api = GatewayOptions.Listen(options.Urls.Count == 0 ? ["http://127.0.0.1:8080"] : options.Urls);
        var metricsOnly = GatewayOptions.Listen(options.MetricsUrls);
        var tls = options.TlsCertificateFile is { } certificateFile
            ? TlsCertificate.Load(certificateFile, options.TlsKeyFile!, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Keywarden.Gateway.Tls"))
            : null;
        var listeners = new List<(ListenAddress Address, ListenOptions Options, bool Metrics)>();

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
        builder.WebHost.ConfigureKestrel(k =>
        {
            foreach (var address in api)
            {
                Listen(k, address, tls, metrics: false, listeners);
            }

            foreach (var address in metricsOnly)
            {
                Listen(k, address, tls, metrics: true, listeners);
            }

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

            // A start that fails (a taken port) is the caller's to report, in one line from the exception: the host would
            // log it first with the whole stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        // One answer to "fail open?" for the queue, the pipeline and /readyz.
        var queueOptions = WithFailOpen(auditOptions ?? new AuditQueueOptions(), options.AuditFailOpen || auditOptions?.FailOpen == true);
        if (options.AuditFsync)
        {
            queueOptions.Flush = AuditFlush.Disk;
        }
        AuditSpool? spool = null;
        AuditQueue? queue = null;
        if (options.AuditSpoolDirectory is { } spoolDirectory)
        {
            // What a crashed gateway spooled and the store never got goes in first, then this gateway spools anew (unless
            // each answer waits for its record's disk-flushed commit instead).
            await AuditSpool.RecoverAsync(spoolDirectory, vault.Store, cancellationToken);
            if (!options.AuditFsync)
            {
                var head = await vault.Store.TailAsync(1, cancellationToken) is [var last] ? last.Sequence : 0;
                spool = AuditSpool.Open(spoolDirectory, () => Math.Max(head, queue?.LastWrittenSequence ?? 0), time);
            }
        }

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddKeywardenGateway(options, new GatewaySnapshotSource(vault.Store, vault.MasterKey), vault.Store, time, queueOptions, spool);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        if (!app.Services.GetServices<Pipeline.IApiFlow>().Any())
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("the gateway serves no API: register one (e.g. services.AddMailchimpApis())");
        }

        var tokens = app.Services.GetRequiredService<TokenCache>();
        var audit = queue = app.Services.GetRequiredService<AuditQueue>();
        app.MapKeywardenGateway(listenerRoles: metricsOnly.Count > 0);

        try
        {
            await app.StartKeywardenGatewayAsync(cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await audit.DisposeAsync();
            await app.DisposeAsync();
            tls?.Dispose();
            throw;
        }

        // Port 0 is resolved once bound.
        var bound = listeners.Select(l => (Uri: Bound(l.Address, l.Options), l.Metrics)).ToList();
        var addresses = bound.Where(b => !b.Metrics).Select(b => b.Uri).ToList();
        var metricsAddresses = bound.Where(b => b.Metrics).Select(b => b.Uri).ToList();
        Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<GatewayServer>(), string.Join(", ", addresses));
        return new GatewayServer(app, audit, tokens, addresses, metricsAddresses, tls);
    }

    /// <summary>Reloads tokens and upstreams from the store now (normally done by polling).</summary>
    public Task RefreshTokensAsync(CancellationToken cancellationToken = default) => _tokens.RefreshAsync(force: true, cancellationToken);

    /// <summary>Waits until every audit record enqueued so far is written.</summary>
    public Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit.FlushAsync(cancellationToken);

    /// <summary>Completes when the host stops (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

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
        _tls?.Dispose();
    }

    /// <summary>
    /// One listener: TLS 1.2 or 1.3 with the current certificate for https (asked per handshake, so a reload takes effect
    /// on the next connection), and a tag on each connection of a metrics listener.
    /// </summary>
    private static void Listen(
        KestrelServerOptions kestrel, ListenAddress address, TlsCertificate? tls, bool metrics, List<(ListenAddress, ListenOptions, bool)> listeners)
    {
        kestrel.Listen(address.Address, address.Port, listen =>
        {
            // Stated, not left to Kestrel's defaults: HTTP/2 where ALPN can choose it (TLS), HTTP/1.1 alone in clear text
            // (Kestrel cannot tell HTTP/2 prior knowledge from HTTP/1.1 on a mixed clear-text endpoint, dotnet/aspnetcore
            // #56984, and a TLS proxy in front speaks HTTP/1.1 to its backend anyway). Both are judged the same way.
            listen.Protocols = address.IsHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (address.IsHttps)
            {
                listen.UseHttps(https =>
                {
                    https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    https.ServerCertificateSelector = (_, _) => tls!.Current;
                });
            }

            if (metrics)
            {
                listen.Use(next => connection =>
                {
                    connection.Items[ListenerRole.Key] = ListenerRole.Metrics;
                    return next(connection);
                });
            }

            listeners.Add((address, listen, metrics));
        });
    }

    private static Uri Bound(ListenAddress address, ListenOptions listen) =>
        new($"{(address with { Port = (listen.EndPoint as IPEndPoint)?.Port ?? address.Port })}/");
}
