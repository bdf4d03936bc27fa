using Keywarden.Gateway.Observability;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Outcomes;

/// <summary>
/// The registered observers, called in order. One that throws as the response starts aborts the response: no answer
/// leaves without what must precede it (the audit's record). One that throws once the request is over is skipped. Either
/// is logged at most once a second.
/// </summary>
internal sealed class OutcomeObservers
{
    private readonly IRequestOutcomeObserver[] _observers;
    private readonly ILogger<OutcomeObservers> _logger;
    private readonly LogThrottle _failureLog;

    public OutcomeObservers(IEnumerable<IRequestOutcomeObserver> observers, TimeProvider time, ILogger<OutcomeObservers> logger)
    {
        _observers = [.. observers];
        _logger = logger;
        _failureLog = new LogThrottle(time, TimeSpan.FromSeconds(1));
    }

    public Task ResponseStartingAsync(RequestOutcome outcome)
    {
        Task? pending = null;
        foreach (var observer in _observers)
        {
            Task started;
            try
            {
                started = observer.OnResponseStartingAsync(outcome);
            }
            catch (Exception e)
            {
                Failed(observer, e);
                outcome.Context.Abort();
                return Task.CompletedTask;
            }

            if (!started.IsCompletedSuccessfully)
            {
                pending = pending is null ? started : Task.WhenAll(pending, started);
            }
        }

        return pending ?? Task.CompletedTask;
    }

    public void Completed(RequestOutcome outcome)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnCompleted(outcome);
            }
            catch (Exception e)
            {
                Failed(observer, e);
            }
        }
    }

    private void Failed(IRequestOutcomeObserver observer, Exception exception)
    {
        if (_failureLog.TryEnter(out var held))
        {
            Log.ObserverFailed(_logger, observer.GetType().Name, exception.GetType().Name, held);
        }
    }
}
