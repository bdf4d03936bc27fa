namespace Keywarden.Gateway.Observability;

/// <summary>
/// The gateway's metrics registry as other parts of the process see it (the anomaly monitor): counters they keep
/// themselves, read at each scrape, exported beside the gateway's own on <c>/metrics</c>.
/// </summary>
public interface IGatewayMetrics
{
    /// <summary>
    /// Exports a counter named <paramref name="name"/> with <paramref name="labels"/>, whose values are read from
    /// <paramref name="read"/> at each scrape: each item is one label combination (in <paramref name="labels"/>' order) and
    /// its running total, which must never go down.
    /// </summary>
    void AddCounter(string name, string help, string[] labels, Func<IEnumerable<(string[] Labels, double Total)>> read);

    /// <summary>Exports a gauge named <paramref name="name"/> whose value is read from <paramref name="read"/> at each scrape.</summary>
    void AddGauge(string name, string help, Func<double> read);
}
