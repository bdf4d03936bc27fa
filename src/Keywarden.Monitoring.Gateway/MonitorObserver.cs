using Keywarden.Gateway.Outcomes;

namespace Keywarden.Monitoring.Gateway;

/// <summary>
/// Hands every finished request to the <see cref="LiveMonitor"/>: a copy of a few references and one lock-free enqueue
/// on the request's thread; the detectors run on the monitor's own thread. Registered after the audit and the metrics.
/// </summary>
internal sealed class MonitorObserver(LiveMonitor monitor, TimeProvider time) : IRequestOutcomeObserver
{
    public Task OnResponseStartingAsync(RequestOutcome outcome) => Task.CompletedTask;

    public void OnCompleted(RequestOutcome outcome) =>
        monitor.Post(new ObservedRequest(
            time.GetUtcNow(),
            outcome.TokenId,
            outcome.UpstreamId,
            outcome.Client,
            outcome.Api,
            outcome.Method,
            outcome.Path,
            outcome.Decision,
            outcome.Rule,
            outcome.Forwarded ? outcome.Status : null,
            outcome.Recipients,
            outcome.FromDomain,
            outcome.UserAgent));
}
