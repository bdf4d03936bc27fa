using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// A request with a decoy token (rule <c>decoy</c>): always critical, never learning (a decoy has no legitimate use to
/// learn), raised for every such request. The <c>why</c> names the client address and User-Agent, what the person
/// responding needs first.
/// </summary>
internal static class DecoyDetector
{
    public static bool Matches(in MonitorEvent e) => string.Equals(e.Rule, RuleKinds.Decoy, StringComparison.Ordinal);

    public static void Observe(in MonitorEvent e, AlertSink sink)
    {
        if (!sink.Enabled)
        {
            return;
        }

        sink.Raise(
            DetectorNames.Decoy, AlertSeverity.Critical, e,
            $"decoy token {e.TokenId ?? "(unknown)"} used from {e.Client ?? "an unknown address"} with {Words.Agent(e.UserAgent)} ({e.Method} {e.Path}): "
            + "a decoy is planted, never given to an app, so whoever holds it found it where it was planted",
            learning: false);
    }
}
