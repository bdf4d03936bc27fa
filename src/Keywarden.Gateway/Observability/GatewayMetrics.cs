using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace Keywarden.Gateway.Observability;

/// <summary>
/// The gateway's Prometheus metrics (prometheus-net, one registry per gateway): request counters and a latency histogram
/// labelled by API, decision, rule and status (never tokens, keys or paths), gauges read at scrape time, and the
/// process and .NET runtime metrics (CPU, memory, GC, thread pool).
/// </summary>
internal sealed class GatewayMetrics : IGatewayMetrics
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly MetricFactory _factory;
    private readonly Counter _requests;
    private readonly Histogram _duration;

    // The labelled child per combination, so the hot path does no label lookup after the first request of its kind.
    private readonly ConcurrentDictionary<(string Api, string Decision, string Rule, int Status), Counter.Child> _children = new();

    public GatewayMetrics()
    {
        _factory = Metrics.WithCustomRegistry(_registry);
        _requests = _factory.CreateCounter(
            "keywarden_gateway_requests_total", "Gateway requests by API, decision, deciding rule and response status.", ["api", "decision", "rule", "status"]);
        _duration = _factory.CreateHistogram(
            "keywarden_gateway_request_duration_seconds",
            "Time from request start to response end, as seen by the gateway.",
            new HistogramConfiguration { Buckets = Buckets });
        DotNetStats.Register(_registry);
    }

    public void Record(string api, string decision, string rule, int status, double latencySeconds)
    {
        _children.GetOrAdd(
            (api, decision, rule, status),
            static (key, counter) => counter.WithLabels(key.Api, key.Decision, key.Rule, key.Status.ToString(CultureInfo.InvariantCulture)),
            _requests).Inc();
        _duration.Observe(latencySeconds);
    }

    /// <inheritdoc />
    public void AddGauge(string name, string help, Func<double> read)
    {
        var gauge = _factory.CreateGauge(name, help);
        _registry.AddBeforeCollectCallback(() => gauge.Set(read()));
    }

    /// <inheritdoc />
    public void AddCounter(string name, string help, string[] labels, Func<IEnumerable<(string[] Labels, double Total)>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var counter = _factory.CreateCounter(name, help, labels);
        _registry.AddBeforeCollectCallback(() =>
        {
            foreach (var (values, total) in read())
            {
                if (values.Length == 0)
                {
                    counter.IncTo(total);
                }
                else
                {
                    counter.WithLabels(values).IncTo(total);
                }
            }
        });
    }

    /// <summary>The text exposition, with a HELP and TYPE line per metric.</summary>
    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return _registry.CollectAndExportAsTextAsync(context.Response.Body, cancel: context.RequestAborted);
    }
}
