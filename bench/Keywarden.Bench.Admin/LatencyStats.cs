using System.Globalization;

namespace Keywarden.Bench;

/// <summary>Latencies of one run (milliseconds) and its throughput; percentiles by nearest rank.</summary>
internal sealed record LatencyStats(int Count, double P50, double P90, double P99, double Max, double RequestsPerSecond)
{
    public static LatencyStats From(IReadOnlyList<double> milliseconds, TimeSpan wall)
    {
        var sorted = milliseconds.Order().ToArray();
        return new LatencyStats(
            sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Length / wall.TotalSeconds);
    }

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
