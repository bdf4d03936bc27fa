using Keywarden.Core.Audit;
using Keywarden.Gateway.Observability;

namespace Keywarden.Gateway.Outcomes;

/// <summary>Counts every request by API, decision, rule and status, and observes its latency (<see cref="GatewayMetrics"/>).</summary>
internal sealed class MetricsRecorder(GatewayMetrics metrics) : IRequestOutcomeObserver
{
    public Task OnResponseStartingAsync(RequestOutcome outcome) => Task.CompletedTask;

    public void OnCompleted(RequestOutcome outcome) =>
        metrics.Record(outcome.ApiName, DecisionName(outcome.Decision), outcome.Rule, outcome.Status, outcome.Elapsed.TotalSeconds);

    private static string DecisionName(AuditDecision decision) => decision switch
    {
        AuditDecision.Allow => "allow",
        AuditDecision.Deny => "deny",
        AuditDecision.Error => "error",
        _ => decision.ToString().ToLowerInvariant(),
    };
}
