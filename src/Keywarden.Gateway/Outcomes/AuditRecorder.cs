using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Audit;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Outcomes;

/// <summary>
/// The audit trail as an outcome observer, always the first. As a response starts, before any of it is sent, it makes
/// the request's record durable (spooled on this thread, or, without a spool, committed by the writer while the
/// response waits), so a crash never leaves an answered request unrecorded. A record that cannot be made durable (a
/// full disk; the store failing meanwhile) means the client gets no answer (the connection is aborted) unless
/// fail-open; a refusal because audit is unavailable is sent at once. Once the request is over it records a request
/// whose response never started, or a second record when what happened after the start (a failed body copy) changed
/// the decision.
/// </summary>
internal sealed class AuditRecorder : IRequestOutcomeObserver
{
    // The text of the last client address this thread formatted: clients repeat, and formatting allocates.
    [ThreadStatic]
    private static (IPAddress Address, string Text)? t_lastClient;

    private readonly AuditQueue _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditRecorder> _logger;
    private readonly LogThrottle _unavailableLog;

    public AuditRecorder(AuditQueue audit, TimeProvider time, ILogger<AuditRecorder> logger)
    {
        _audit = audit;
        _time = time;
        _logger = logger;
        _unavailableLog = new LogThrottle(time, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// True when a request must be refused before any work because its record could not be written: the queue is full
    /// or the store failing, and not fail-open ("audit or refuse"). Logged at most once a second either way.
    /// </summary>
    public bool MustRefuse() => !_audit.HasRoom && RefuseUnaudited();

    public Task OnResponseStartingAsync(RequestOutcome outcome)
    {
        if (outcome.Committed)
        {
            return Task.CompletedTask;
        }

        outcome.Committed = true;
        outcome.CommittedDecision = outcome.Decision;
        outcome.CommittedRule = outcome.Rule;
        var entry = Entry(outcome);
        if (outcome.AuditRefused)
        {
            _audit.TryEnqueue(entry); // kept if it can be; the refusal is not held for a store that is failing
            return Task.CompletedTask;
        }

        if (_audit.Spooling)
        {
            // In the spool on this thread: it survives a crash from here on, without waiting for the store.
            if (!_audit.TrySpool(entry))
            {
                Unrecorded(outcome);
            }

            return Task.CompletedTask;
        }

        var written = _audit.WriteAsync(entry);
        if (written.IsCompletedSuccessfully)
        {
            if (!written.Result)
            {
                Unrecorded(outcome);
            }

            return Task.CompletedTask;
        }

        return AwaitDurableAsync(outcome, written);
    }

    public void OnCompleted(RequestOutcome outcome)
    {
        if (!outcome.Committed)
        {
            // No response left the gateway (the client went away first): nothing to hold, but the request is recorded.
            outcome.Committed = true;
            var entry = Entry(outcome);
            if (_audit.Spooling)
            {
                _audit.TrySpool(entry);
            }
            else
            {
                _ = _audit.WriteAsync(entry);
            }
        }
        else if (outcome.Decision != outcome.CommittedDecision || !string.Equals(outcome.Rule, outcome.CommittedRule, StringComparison.Ordinal))
        {
            // The first record went out with the response's start; what happened after (the body copy failed) gets its own.
            _audit.TryEnqueue(Entry(outcome));
        }
    }

    private async Task AwaitDurableAsync(RequestOutcome outcome, Task<bool> written)
    {
        if (!await written.ConfigureAwait(false))
        {
            Unrecorded(outcome);
        }
    }

    /// <summary>The record could not be made durable before the answer: audit or refuse, so no answer (unless fail-open).</summary>
    private void Unrecorded(RequestOutcome outcome)
    {
        if (RefuseUnaudited())
        {
            outcome.Context.Abort();
        }
    }

    /// <summary>True when the request must be refused (not fail-open); logged at most once a second, with why the records are not being written.</summary>
    private bool RefuseUnaudited()
    {
        var failOpen = _audit.FailOpen;
        if (_unavailableLog.TryEnter(out var held))
        {
            if (failOpen)
            {
                Log.AuditFailOpen(_logger, held, _audit.Depth, _audit.DescribeBacklog());
            }
            else
            {
                Log.AuditRefused(_logger, held, _audit.Depth, _audit.DescribeBacklog());
            }
        }

        return !failOpen;
    }

    private AuditEntry Entry(RequestOutcome outcome) => new(
        _time.GetUtcNow(), AuditKind.Request, outcome.TokenId, outcome.UpstreamId, outcome.KeyId, ClientText(outcome.Client),
        outcome.Method, outcome.Path, outcome.Decision, outcome.Rule, outcome.Forwarded ? outcome.Status : null,
        outcome.Elapsed.TotalMilliseconds, outcome.RequestBytes, outcome.ResponseBytes,
        Recipients: outcome.Recipients, FromDomain: outcome.FromDomain, UserAgent: UserAgentText(outcome.UserAgent));

    /// <summary>
    /// The header's own string when it is short enough (no copy; the chain redacts it as it links it), otherwise what a
    /// record keeps of it, so that a queue of records never holds a client's kilobytes of header.
    /// </summary>
    private static string? UserAgentText(string? userAgent) =>
        userAgent is null || userAgent.Length <= AuditEntry.MaxUserAgentLength ? userAgent : AuditChain.StoredUserAgent(userAgent);

    private static string ClientText(IPAddress address)
    {
        if (t_lastClient is { } last && last.Address.Equals(address))
        {
            return last.Text;
        }

        var text = address.ToString();
        t_lastClient = (address, text);
        return text;
    }
}
