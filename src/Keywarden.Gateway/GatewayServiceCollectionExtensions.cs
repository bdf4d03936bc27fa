using System.Net;
using Keywarden.Application;
using Keywarden.Gateway.Limits;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Outcomes;
using Keywarden.Gateway.Pipeline;
using Keywarden.Gateway.Tokens;
using Keywarden.Storage;
using Keywarden.Gateway.Audit;
using Keywarden.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway;

/// <summary>Wiring of the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway pipeline, its token cache, limits, audit queue (owning <paramref name="spool"/>, if any) and
    /// forwarder. The APIs it serves are registered after it (<see cref="Pipeline.IApiFlow"/>, e.g. <c>AddMailchimpApis()</c>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">Where to listen and the gateway's limits.</param>
    /// <param name="snapshots">Where the token cache loads from (tokens and opened upstream keys) and learns of changes.</param>
    /// <param name="audit">Where request records are appended.</param>
    /// <param name="time">The clock (expiry, rate windows, quotas).</param>
    /// <param name="auditOptions">Audit queue settings.</param>
    /// <param name="spool">The audit spool each answer's record is written to before the answer, or null to wait for the store.</param>
    public static IServiceCollection AddKeywardenGateway(
        this IServiceCollection services, GatewayOptions options, IGatewaySnapshotSource snapshots, IAuditStore audit, TimeProvider time,
        AuditQueueOptions auditOptions, AuditSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(snapshots);
        services.AddSingleton(time);
        services.AddSingleton(auditOptions);
        services.AddHttpForwarder();
        services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        }));
        services.AddSingleton<TokenCache>();
        services.AddHostedService<TokenCacheRefresher>();
        services.AddSingleton(sp => new TokenRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new KeyConcurrencyGuard(options.ConcurrencyPerKey, options.QueueLimitPerKey, options.QueueTimeout, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<IGatewayMetrics>(provider => provider.GetRequiredService<GatewayMetrics>());
        services.AddSingleton(sp => new AuditQueue(audit, auditOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditQueue>>(), spool));

        // The pipeline: admission and forwarding shared by the flows of the APIs (IApiFlow, registered by each API's
        // package after this, e.g. AddMailchimpApis), found by the API a request addresses.
        services.AddSingleton(sp => new AddressBlocklist(options.DecoyBlock, options.DecoyBlockCapacity, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Admission(
            sp.GetRequiredService<TokenCache>(), sp.GetRequiredService<TokenRateLimiter>(), sp.GetRequiredService<AddressBlocklist>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Admission>>()));
        services.AddSingleton(sp => new UpstreamForwarding(
            sp.GetRequiredService<Yarp.ReverseProxy.Forwarder.IHttpForwarder>(), sp.GetRequiredService<HttpMessageInvoker>(),
            sp.GetRequiredService<KeyConcurrencyGuard>(), sp.GetRequiredService<Admission>(), options, sp.GetRequiredService<ILogger<UpstreamForwarding>>()));

        // Outcome observers, in the order they are called: the audit first (a response waits for its record), then the
        // metrics; whatever is registered after (the anomaly detectors) learns of every request the same way.
        services.AddSingleton<AuditRecorder>();
        services.AddSingleton<IRequestOutcomeObserver>(sp => sp.GetRequiredService<AuditRecorder>());
        services.AddSingleton<IRequestOutcomeObserver, MetricsRecorder>();
        services.AddSingleton<OutcomeObservers>();
        services.AddSingleton<GatewayEndpoint>();
        return services;
    }
}
