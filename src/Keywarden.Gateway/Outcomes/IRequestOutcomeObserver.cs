namespace Keywarden.Gateway.Outcomes;

/// <summary>
/// Something that learns of every gateway request's outcome: the audit trail, the metrics, and next the anomaly
/// detectors. Registered in the gateway's services (<c>services.AddSingleton&lt;IRequestOutcomeObserver, …&gt;()</c>);
/// called in registration order, audit first. Called on the request's own thread: do the least that must be done
/// there, hand the rest off, and never throw: a throw as the response starts aborts the response (nothing is answered
/// that the audit could not record); a throw once it is over is logged and the next observer still runs.
/// </summary>
public interface IRequestOutcomeObserver
{
    /// <summary>
    /// As the response starts, before any of it is sent: the response waits for the task (the audit makes its record
    /// durable here). Return <see cref="Task.CompletedTask"/> when nothing must happen before the client is answered.
    /// </summary>
    Task OnResponseStartingAsync(RequestOutcome outcome);

    /// <summary>Once the request is over: answered, refused, failed, or the client gone.</summary>
    void OnCompleted(RequestOutcome outcome);
}
