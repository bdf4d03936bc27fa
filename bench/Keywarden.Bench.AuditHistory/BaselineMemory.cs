using System.Globalization;
using Keywarden.Core.Audit;
using Keywarden.Monitoring;

namespace Keywarden.Bench.AuditHistory;

/// <summary>
/// What the monitor holds in memory for many tokens: primes one engine with 28 days of use for each token, every hour of
/// the week busy, several networks, path families and user agents each (more than a real token touches), then reports
/// the process's resident set and the managed heap. The live gateway keeps exactly one such engine.
/// </summary>
internal static class BaselineMemory
{
    public static string Measure(int tokens)
    {
        var before = ResidentBytes();
        var engine = new MonitorEngine();
        var start = DateTimeOffset.UtcNow.AddDays(-28);
        long events = 0;
        for (var hour = 0; hour < 28 * 24; hour++)
        {
            for (var t = 0; t < tokens; t++)
            {
                var id = "tok_" + t.ToString("D12", CultureInfo.InvariantCulture);
                var network = $"10.{t % 200}.{hour % 6}.{(t * 7) % 250}";
                var path = $"/lists/{{id}}/segment{hour % 12}/members";
                engine.Prime(new MonitorEvent(
                    start.AddHours(hour).AddSeconds(t % 3600), AuditKind.Request, id, "up_news", network, null, hour % 5 == 0 ? "POST" : "GET", path,
                    hour % 50 == 0 ? AuditDecision.Deny : AuditDecision.Allow, "allow", hour % 97 == 0 ? 500 : 200, null, null, "app/" + (hour % 4)));
                events++;
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var after = ResidentBytes();
        GC.KeepAlive(engine);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{tokens} tokens, {events} events primed: {engine.TokenCount} tokens held; managed heap {heap / 1048576.0:0.0} MiB " +
            $"({heap / (double)tokens / 1024:0.0} KiB per token); process RSS {after / 1048576.0:0.0} MiB (before the engine: {before / 1048576.0:0.0} MiB)");
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
