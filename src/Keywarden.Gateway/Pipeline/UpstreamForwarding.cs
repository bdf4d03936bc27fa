using Keywarden.Core.Audit;
using Keywarden.Core.Policy;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Forwarding;
using Keywarden.Gateway.Limits;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Outcomes;
using Keywarden.Gateway.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// The last step of an admitted request: one of the real key's concurrency slots, then YARP's forwarder with the key
/// injected. Failures on the way are answered in the API's shape and recorded: a streamed body that turned out to carry
/// a token, a client body that failed, an upstream that timed out or could not be reached.
/// </summary>
public sealed class UpstreamForwarding
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _http;
    private readonly KeyConcurrencyGuard _guard;
    private readonly Admission _admission;
    private readonly ILogger<UpstreamForwarding> _logger;
    private readonly ForwarderRequestConfig _requestConfig;

    internal UpstreamForwarding(
        IHttpForwarder forwarder, HttpMessageInvoker http, KeyConcurrencyGuard guard, Admission admission, GatewayOptions options,
        ILogger<UpstreamForwarding> logger)
    {
        _forwarder = forwarder;
        _http = http;
        _guard = guard;
        _admission = admission;
        _logger = logger;
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = options.UpstreamTimeout };
    }

    /// <summary>Forwards an admitted request with <paramref name="transformer"/>; what fails on the way is answered and recorded here.</summary>
    public async Task ForwardAsync(HttpContext context, RequestOutcome outcome, TokenEntry entry, InjectingTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(entry);
        using var lease = await _guard.AcquireAsync(entry.Target.KeyId, context.RequestAborted);
        if (lease is null)
        {
            _admission.GiveBack(outcome, entry);
            await Answers.RejectAsync(context, outcome, GatewayRejection.KeyBusy, RuleNames.KeyBusy, null, 1);
            return;
        }

        outcome.Decision = AuditDecision.Allow;
        outcome.Forwarded = true;
        var error = await _forwarder.SendAsync(context, entry.Target.DestinationPrefix, _http, _requestConfig, transformer);
        if (error == ForwarderError.None)
        {
            return;
        }

        if (outcome.BodyGuard is { TokenFound: true })
        {
            _admission.GiveBack(outcome, entry); // the upstream request was aborted: Mailchimp never got a whole request
            outcome.Forwarded = false;
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Answers.RejectTokenLeakAsync(context, outcome);
            }

            return;
        }

        var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        outcome.Forwarded = context.Response.HasStarted; // the upstream answered (its status is on record) and then the copy failed
        if (error == ForwarderError.RequestBodyClient && !context.Response.HasStarted)
        {
            // The client's streamed body failed (malformed, too slow, too large, or the client left) while it was being
            // forwarded. The forwarder aborted the upstream request, so Mailchimp never got a whole request to act on.
            _admission.GiveBack(outcome, entry);
            context.Response.Clear();
            if (Answers.BodyFailure(failure) is { } body)
            {
                await Answers.RejectAsync(context, outcome, body);
            }
            else
            {
                outcome.Decision = AuditDecision.Deny;
                outcome.Rule = RuleNames.ClientAborted;
            }

            return;
        }

        Log.ForwardFailed(_logger, entry.Target.UpstreamName, error.ToString(), failure?.GetType().Name ?? "-", failure?.Message ?? "-");
        outcome.Decision = AuditDecision.Error;
        outcome.Rule = RuleNames.UpstreamPrefix + error.ToString().ToLowerInvariant();
        if (!context.Response.HasStarted && error is not (ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled))
        {
            var rejection = error == ForwarderError.RequestTimedOut ? GatewayRejection.UpstreamTimeout : GatewayRejection.UpstreamUnavailable;
            context.Response.Clear();
            await Answers.WriteAsync(context, outcome, rejection, null, null);
        }
    }
}
