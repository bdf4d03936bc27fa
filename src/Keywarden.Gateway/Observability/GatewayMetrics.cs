using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Keywarden.Gateway.Observability;

/// <summary>
/// Counters and a latency histogram in Prometheus text format. Labels are APIs, decisions, rules and
/// status codes: never tokens, keys or paths.
/// </summary>
internal sealed class GatewayMetrics
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly ConcurrentDictionary<(string Api, string Decision, string Rule, int Status), Counter> _requests = new();
    private readonly long[] _bucketCounts = new long[Buckets.Length + 1];
    private long _latencyCount;
    private long _latencySumMicros;

    public void Record(string api, string decision, string rule, int status, double latencySeconds)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((api, decision, rule, status), static _ => new Counter()).Value);
        var bucket = Array.BinarySearch(Buckets, latencySeconds);
        bucket = bucket >= 0 ? bucket : ~bucket;
        Interlocked.Increment(ref _bucketCounts[bucket]);
        Interlocked.Increment(ref _latencyCount);
        Interlocked.Add(ref _latencySumMicros, (long)(latencySeconds * 1_000_000));
    }

    /// <summary>The Prometheus text exposition of the counters, the histogram and <paramref name="gauges"/> (each with its HELP line).</summary>
    public string Render(IReadOnlyList<(string Name, string Help, double Value)> gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        var text = new StringBuilder();
        text.AppendLine("# HELP keywarden_gateway_requests_total Gateway requests by API, decision, deciding rule and response status.");
        text.AppendLine("# TYPE keywarden_gateway_requests_total counter");
        foreach (var ((api, decision, rule, status), counter) in _requests.OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"keywarden_gateway_requests_total{{api=\"{api}\",decision=\"{decision}\",rule=\"{rule}\",status=\"{status}\"}} {Volatile.Read(ref counter.Value)}\n");
        }

        text.AppendLine("# HELP keywarden_gateway_request_duration_seconds Time from request start to response end, as seen by the gateway.");
        text.AppendLine("# TYPE keywarden_gateway_request_duration_seconds histogram");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Volatile.Read(ref _bucketCounts[i]);
            text.Append(CultureInfo.InvariantCulture, $"keywarden_gateway_request_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}\n");
        }

        cumulative += Volatile.Read(ref _bucketCounts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"keywarden_gateway_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(CultureInfo.InvariantCulture, $"keywarden_gateway_request_duration_seconds_sum {Volatile.Read(ref _latencySumMicros) / 1_000_000.0}\n");
        text.Append(CultureInfo.InvariantCulture, $"keywarden_gateway_request_duration_seconds_count {Volatile.Read(ref _latencyCount)}\n");

        foreach (var (name, help, value) in gauges.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
        }

        return text.ToString();
    }

    private sealed class Counter
    {
        public long Value;
    }
}
