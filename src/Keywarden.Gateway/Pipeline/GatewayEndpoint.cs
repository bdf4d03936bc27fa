using System.Diagnostics;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;
using Keywarden.Gateway.Auth;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Outcomes;
using Keywarden.Gateway.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// The gateway's request pipeline, up to the API's own flow: audit capacity → method → API path → preflight →
/// canonicalise → body limits → the flow of the API addressed (<see cref="IApiFlow"/>: credential, authentication, token
/// leaks, policy, limits, key slot, forward). What happened is a <see cref="RequestOutcome"/> that the observers
/// (<see cref="IRequestOutcomeObserver"/>: audit first, then metrics) get as the response starts, before any of it is
/// sent, and again once the request is over: a crash never leaves an answered request unrecorded. Expected failures are
/// values (<see cref="GatewayRejection"/>), answered in Mailchimp's shapes.
/// </summary>
/// <remarks>
/// Only <see cref="InvokeAsync"/> and the forwarding step are async methods on the common path; the steps between
/// them hand on the next step's task instead of awaiting it, so a request does not pay for a heap-allocated state
/// machine per layer (each would suspend while the request is forwarded).
/// </remarks>
internal sealed class GatewayEndpoint
{
    private static readonly string[] OverrideHeaders = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

    private static readonly Func<object, Task> OnResponseStarting = static state =>
    {
        var outcome = (RequestOutcome)state;
        return outcome.Observers.ResponseStartingAsync(outcome);
    };

    private readonly OutcomeObservers _observers;
    private readonly AuditRecorder _audit;
    private readonly IApiFlow?[] _flows;
    private readonly NeutralAnswers _neutral;
    private readonly TokenCache _tokens;
    private readonly GatewayOptions _options;
    private readonly ClientAddressResolver _clients;
    private readonly ILogger<GatewayEndpoint> _logger;

    public GatewayEndpoint(
        OutcomeObservers observers, AuditRecorder audit, IEnumerable<IApiFlow> flows, TokenCache tokens, GatewayOptions options,
        ILogger<GatewayEndpoint> logger)
    {
        _observers = observers;
        _audit = audit;
        _tokens = tokens;
        _options = options;
        _clients = new ClientAddressResolver(options.TrustedProxies);
        _logger = logger;
        var byApi = flows.ToList();
        _neutral = new NeutralAnswers(byApi);
        _flows = new IApiFlow?[byApi.Count == 0 ? 0 : byApi.Max(f => (int)f.Api) + 1];
        foreach (var flow in byApi)
        {
            _flows[(int)flow.Api] = flow;
        }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var rawTarget = TokenLeaks.RawTarget(context);
        var outcome = new RequestOutcome(_observers, _neutral, context, FlowOf(RequestCanonicalizer.ApiOf(rawTarget)), Stopwatch.GetTimestamp());
        context.Response.OnStarting(OnResponseStarting, outcome);
        try
        {
            outcome.Client = _clients.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"]);
            await HandleAsync(context, outcome, rawTarget);
            if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                // Nothing written (an upstream answer without a body, a failure answered by status alone): start the
                // response here, so its record is made durable before Kestrel sends it.
                await context.Response.StartAsync(context.RequestAborted);
            }
        }
        catch (Exception exception) when (!context.Response.HasStarted && exception is not OperationCanceledException)
        {
            await FailAsync(context, outcome, exception);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome.Rule = RuleNames.ClientAborted; // the client went away: nobody to answer
        }
        finally
        {
            _observers.Completed(outcome);
        }
    }

    /// <summary>
    /// The last resort: a failure no step expected. The client gets a 500 in the shape of the API it addressed (a body
    /// the client broke, 400, 408 or 413), the record says so, and the log names the exception's type only: its message
    /// may quote request data.
    /// </summary>
    private Task FailAsync(HttpContext context, RequestOutcome outcome, Exception exception)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            outcome.Rule = RuleNames.ClientAborted; // the client went away mid-request (its body read failed): nobody to answer
            return Task.CompletedTask;
        }

        context.Response.Clear();
        if (Answers.BodyFailure(exception) is { } body)
        {
            return Answers.RejectAsync(context, outcome, body);
        }

        Log.RequestFailed(_logger, exception.GetType().Name);
        outcome.Forwarded = false;
        return Answers.FailAsync(context, outcome, GatewayRejection.InternalError, RuleNames.Internal);
    }

    private Task HandleAsync(HttpContext context, RequestOutcome outcome, string rawTarget)
    {
        var request = context.Request;
        outcome.Method = request.Method;
        outcome.Path = request.Path.Value ?? "/";
        if (_audit.MustRefuse())
        {
            outcome.AuditRefused = true;
            return Answers.RejectAsync(context, outcome, GatewayRejection.AuditUnavailable, RuleNames.Audit, null, 5);
        }

        if (HttpMethods.IsConnect(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return Answers.RejectAsync(context, outcome, GatewayRejection.MethodNotAllowed, RuleNames.HttpMethod, $"{request.Method} is not a Mailchimp API method");
        }

        if (outcome.Flow is null)
        {
            // No API's path: another path, "*" (OPTIONS *), an authority. Answered in a neutral shape.
            outcome.Path = NotApiPath(rawTarget);
            return Answers.RejectAsync(context, outcome, GatewayRejection.NotAnApiPath, RuleNames.NotApi, null);
        }

        var origin = request.Headers.Origin.Count switch
        {
            0 => null,
            1 => request.Headers.Origin[0],
            _ => "",
        };

        if (HttpMethods.IsOptions(request.Method))
        {
            return PreflightAsync(context, outcome, origin);
        }

        List<string>? overrides = null;
        foreach (var header in OverrideHeaders)
        {
            foreach (var value in request.Headers[header])
            {
                (overrides ??= []).Add(value ?? "");
            }
        }

        var canonical = RequestCanonicalizer.Canonicalize(request.Method, rawTarget, (IReadOnlyList<string>?)overrides ?? []);
        if (!canonical.Success)
        {
            var rejection = canonical.Error switch
            {
                CanonicalizationError.NotAnApiPath => GatewayRejection.NotAnApiPath,
                CanonicalizationError.UnknownMethod when overrides is null => GatewayRejection.MethodNotAllowed, // else the override header is bad
                _ => GatewayRejection.MalformedRequest,
            };
            return Answers.RejectAsync(context, outcome, rejection, RuleNames.Canonical, Answers.Describe(canonical.Error, canonical.Detail));
        }

        var canonicalRequest = canonical.Request!;
        outcome.Flow = FlowOf(canonicalRequest.Api);
        if (outcome.Flow is null)
        {
            return Answers.RejectAsync(context, outcome, GatewayRejection.NotAnApiPath, RuleNames.NotApi, null);
        }

        outcome.Method = canonicalRequest.Operation.Method;
        outcome.Path = canonicalRequest.Operation.Path;

        if (request.ContentLength > _options.MaxRequestBodyBytes)
        {
            return Answers.RejectAsync(context, outcome, GatewayRejection.BodyTooLarge, RuleNames.BodySize, null);
        }

        if (request.Headers.ContentEncoding.Count > 0 && !RequestBodies.IsIdentity(request.Headers.ContentEncoding))
        {
            // The gateway reads what it forwards (for a token, a batch's operations, a Transactional body): it does not
            // inflate request bodies, and forwarding one it cannot read would carry whatever is inside unseen.
            return Answers.RejectAsync(
                context, outcome, GatewayRejection.MalformedRequest, RuleNames.BodyEncoding,
                "a compressed request body (Content-Encoding) is refused: send it uncompressed");
        }

        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = _options.MaxRequestBodyBytes;
        }

        return outcome.Flow.HandleAsync(context, outcome, canonicalRequest, origin);
    }

    /// <summary>The flow serving <paramref name="api"/>, or null when none does.</summary>
    private IApiFlow? FlowOf(UpstreamKind? api) =>
        api is { } kind && (uint)kind < (uint)_flows.Length ? _flows[(int)kind] : null;

    private Task PreflightAsync(HttpContext context, RequestOutcome outcome, string? origin)
    {
        outcome.Method = "OPTIONS";
        outcome.Path = context.Request.Path.Value ?? "/";
        if (string.IsNullOrEmpty(origin) || !_tokens.Current.AllowedOrigins.Contains(origin))
        {
            return Answers.RejectAsync(context, outcome, GatewayRejection.Forbidden, RuleNames.PreflightOrigin, "browser requests are refused unless a token allows their origin");
        }

        // The preflight carries no token; the real request is judged against its token's own origins.
        outcome.Decision = AuditDecision.Allow;
        outcome.Rule = RuleNames.Preflight;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        CorsHeaders.Allow(context.Response.Headers, origin);
        context.Response.Headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE";
        context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
        context.Response.Headers.AccessControlMaxAge = "600";
        return Task.CompletedTask;
    }

    /// <summary>
    /// What the record says of a target that is no API path: the path without its query, percent-decoded until it no
    /// longer changes (so an encoded token cannot hide), redacted, and only then cut to 200 characters.
    /// </summary>
    private static string NotApiPath(string rawTarget)
    {
        var path = rawTarget.Split('?', 2)[0];
        for (var i = 0; i < 3; i++)
        {
            var decoded = Uri.UnescapeDataString(path);
            if (decoded == path)
            {
                break;
            }

            path = decoded;
        }

        path = AuditChain.Redact(path);
        return path.Length <= 200 ? path : path[..200];
    }
}
