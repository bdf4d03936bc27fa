using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace Keywarden.Monitoring.Gateway;

/// <summary>Composes a <see cref="LiveMonitor"/> into a gateway host.</summary>
public static class MonitorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the observer that hands every finished request to <paramref name="monitor"/>, and exports the monitor's
    /// counters on the gateway's <c>/metrics</c>. The caller owns the monitor (starts and disposes it).
    /// </summary>
    public static IServiceCollection AddKeywardenMonitor(this IServiceCollection services, LiveMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(monitor);
        services.AddSingleton<IRequestOutcomeObserver>(provider =>
        {
            monitor.AttachMetrics(provider.GetRequiredService<IGatewayMetrics>());
            return new MonitorObserver(monitor, monitor.Time);
        });
        return services;
    }
}
