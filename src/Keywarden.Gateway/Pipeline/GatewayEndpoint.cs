using System.Diagnostics;
using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;
using Keywarden.Core.Tokens;
using Keywarden.Gateway.Auth;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Forwarding;
using Keywarden.Gateway.Limits;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Tokens;
using Keywarden.Storage.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// The gateway's request pipeline: audit capacity → authenticate the token → canonicalise → evaluate the policy →
/// rate limits → per-key concurrency slot → inject the real key → forward. Every response, the gateway's own or the
/// upstream's, is held until its audit record is durable, in the spool or the store (<see cref="CommitAsync"/> runs as
/// the response starts), so a crash never leaves an answered request unrecorded. Expected failures are values
/// (<see cref="GatewayRejection"/>), answered in Mailchimp's shapes.
/// </summary>
/// <remarks>
/// Only <see cref="InvokeAsync"/> and the forwarding step are async methods on the common path; the steps between
/// them hand on the next step's task instead of awaiting it, so a request does not pay for a heap-allocated state
/// machine per layer (each would suspend while the request is forwarded).
/// </remarks>
internal sealed class GatewayEndpoint
{
    // The text of the last client address this thread formatted: clients repeat, and formatting allocates.
    [ThreadStatic]
    private static (IPAddress Address, string Text)? t_lastClient;

    private static readonly string[] OverrideHeaders = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

    private static readonly Func<object, Task> OnResponseStarting = static state => ((Outcome)state).Endpoint.CommitAsync((Outcome)state);

    private readonly TokenCache _tokens;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _http;
    private readonly GatewayOptions _options;
    private readonly ClientAddressResolver _clients;
    private readonly TokenRateLimiter _limiter;
    private readonly KeyConcurrencyGuard _guard;
    private readonly AuditQueue _audit;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayEndpoint> _logger;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly LogThrottle _auditLog;
    private readonly LogThrottle _unrecordedLog;

    public GatewayEndpoint(
        TokenCache tokens, IHttpForwarder forwarder, HttpMessageInvoker http, GatewayOptions options, TokenRateLimiter limiter,
        KeyConcurrencyGuard guard, AuditQueue audit, GatewayMetrics metrics, TimeProvider time, ILogger<GatewayEndpoint> logger)
    {
        _tokens = tokens;
        _forwarder = forwarder;
        _http = http;
        _options = options;
        _clients = new ClientAddressResolver(options.TrustedProxies);
        _limiter = limiter;
        _guard = guard;
        _audit = audit;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = options.UpstreamTimeout };
        _auditLog = new LogThrottle(time, TimeSpan.FromSeconds(1));
        _unrecordedLog = new LogThrottle(time, TimeSpan.FromSeconds(1));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToUriComponent() + context.Request.QueryString;
        var outcome = new Outcome(this, context, RequestCanonicalizer.ApiOf(rawTarget), Stopwatch.GetTimestamp());
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
            outcome.Rule = "client-aborted"; // the client went away: nobody to answer
        }
        finally
        {
            Finish(context, outcome);
        }
    }

    /// <summary>
    /// The last resort: a failure no step expected. The client gets a 500 in the shape of the API it addressed (a body
    /// the client broke, 400, 408 or 413), the record says so, and the log names the exception's type only: its message
    /// may quote request data.
    /// </summary>
    private Task FailAsync(HttpContext context, Outcome outcome, Exception exception)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            outcome.Rule = "client-aborted"; // the client went away mid-request (its body read failed): nobody to answer
            return Task.CompletedTask;
        }

        context.Response.Clear();
        if (BodyFailure(exception) is { } body)
        {
            return RejectAsync(context, outcome, body.Rejection, body.Rule, body.Detail);
        }

        Log.RequestFailed(_logger, exception.GetType().Name);
        outcome.Forwarded = false;
        outcome.Decision = AuditDecision.Error;
        outcome.Rule = "internal";
        AllowOrigin(context, outcome);
        return MailchimpErrors.WriteAsync(context, outcome.Api, GatewayRejection.InternalError);
    }

    /// <summary>A request body Kestrel gave up on (malformed chunks, too slow, too large), as a refusal; null for anything else.</summary>
    private static Refusal? BodyFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BadHttpRequestException bad)
            {
                return bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => new Refusal(GatewayRejection.BodyTooLarge, "body-size", null),
                    StatusCodes.Status408RequestTimeout => new Refusal(GatewayRejection.BodyTooSlow, "body-timeout", null),
                    _ => new Refusal(GatewayRejection.MalformedRequest, "body-malformed", "the request body is malformed (bad chunked encoding, or shorter than its Content-Length)"),
                };
            }
        }

        return null;
    }

    private Task HandleAsync(HttpContext context, Outcome outcome, string rawTarget)
    {
        var request = context.Request;
        outcome.Method = request.Method;
        outcome.Path = request.Path.Value ?? "/";
        if (!_audit.HasRoom && RefuseUnaudited())
        {
            outcome.AuditRefused = true;
            return RejectAsync(context, outcome, GatewayRejection.AuditUnavailable, "audit", null, 5);
        }

        if (HttpMethods.IsConnect(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return RejectAsync(context, outcome, GatewayRejection.MethodNotAllowed, "method", $"{request.Method} is not a Mailchimp API method");
        }

        if (outcome.Api is null)
        {
            // Not /3.0/… nor /api/…: another path, "*" (OPTIONS *), an authority. Answered in a neutral shape.
            outcome.Path = NotApiPath(rawTarget);
            return RejectAsync(context, outcome, GatewayRejection.NotAnApiPath, "not-api", null);
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
            return RejectAsync(context, outcome, rejection, "canonical", Describe(canonical.Error, canonical.Detail));
        }

        var canonicalRequest = canonical.Request!;
        outcome.Api = canonicalRequest.Api;
        outcome.Method = canonicalRequest.Operation.Method;
        outcome.Path = canonicalRequest.Operation.Path;

        if (request.ContentLength > _options.MaxRequestBodyBytes)
        {
            return RejectAsync(context, outcome, GatewayRejection.BodyTooLarge, "body-size", null);
        }

        if (request.Headers.ContentEncoding.Count > 0 && !IsIdentity(request.Headers.ContentEncoding))
        {
            // The gateway reads what it forwards (for a token, a batch's operations, a Transactional body): it does not
            // inflate request bodies, and forwarding one it cannot read would carry whatever is inside unseen.
            return RejectAsync(
                context, outcome, GatewayRejection.MalformedRequest, "body-encoding",
                "a compressed request body (Content-Encoding) is refused: send it uncompressed");
        }

        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = _options.MaxRequestBodyBytes;
        }

        return canonicalRequest.Api == UpstreamKind.Marketing
            ? HandleMarketingAsync(context, outcome, canonicalRequest, origin)
            : HandleTransactionalAsync(context, outcome, canonicalRequest, origin);
    }

    private Task HandleMarketingAsync(HttpContext context, Outcome outcome, CanonicalRequest canonical, string? origin)
    {
        var found = MarketingCredential.TryRead(context.Request.Headers.Authorization, out var presented);
        if (found != MarketingCredential.Outcome.Found)
        {
            if (found == MarketingCredential.Outcome.Missing && TokenInTarget(context) is { } inUrl)
            {
                // Not "API Key Missing": the client sent its token, in a place where it leaks (proxy and server logs).
                if (_tokens.TryFind(inUrl, out var known, out var retired))
                {
                    outcome.TokenId = known?.TokenId ?? retired!.TokenId;
                }

                return RejectAsync(
                    context, outcome, GatewayRejection.MalformedRequest, "token-in-url",
                    "a token in the URL is refused (URLs end up in logs): send it as the API key, Authorization: Basic with any user name and the token as password, or Bearer");
            }

            var rejection = found switch
            {
                MarketingCredential.Outcome.Missing => GatewayRejection.MissingCredential,
                MarketingCredential.Outcome.Ambiguous => GatewayRejection.AmbiguousCredential,
                _ => GatewayRejection.InvalidCredential,
            };
            return RejectAsync(context, outcome, rejection, "credential", null);
        }

        if (!Authenticate(presented, outcome, out var entry, out var token, out var unauthenticated))
        {
            return RejectAsync(context, outcome, GatewayRejection.InvalidCredential, unauthenticated, null);
        }

        NoteAllowedOrigin(outcome, entry, origin);

        if (TokenAppearsOutsideAuthorization(context, token))
        {
            return RejectTokenLeakAsync(context, outcome);
        }

        // A batch is judged by its body. A body of unknown length (chunked) is read too: streamed, it would reach
        // Mailchimp before the size limit could refuse it (the forwarder does not enforce Kestrel's limit).
        return canonical.IsBatch || (context.Request.ContentLength is null && CanHaveBody(context))
            ? HandleBufferedMarketingAsync(context, outcome, canonical, origin, entry, token)
            : AdmitAndForwardMarketingAsync(context, outcome, canonical, origin, entry, token, [canonical.Operation], body: null);
    }

    /// <summary>A Marketing request whose body is read before it is judged (a batch, or a body of unknown length).</summary>
    private async Task HandleBufferedMarketingAsync(
        HttpContext context, Outcome outcome, CanonicalRequest canonical, string? origin, TokenEntry entry, GatewayToken token)
    {
        var read = await ReadBodyAsync(context);
        if (read is null)
        {
            await RejectAsync(context, outcome, GatewayRejection.BodyTooLarge, "body-size", null);
            return;
        }

        // Copied out of the pooled buffer: this body is forwarded, and outlives the request's judgement.
        byte[] body;
        using (read)
        {
            body = read.ToArray();
        }

        if (ContainsToken(body, token))
        {
            await RejectTokenLeakAsync(context, outcome);
            return;
        }

        IReadOnlyList<CanonicalOperation> operations = [canonical.Operation];
        if (canonical.IsBatch)
        {
            var batch = RequestCanonicalizer.CanonicalizeBatch(body);
            if (!batch.Success)
            {
                await RejectAsync(context, outcome, GatewayRejection.MalformedRequest, "canonical", Describe(batch.Error, batch.Detail));
                return;
            }

            operations = batch.Operations!;
        }

        await AdmitAndForwardMarketingAsync(context, outcome, canonical, origin, entry, token, operations, body);
    }

    private Task AdmitAndForwardMarketingAsync(
        HttpContext context, Outcome outcome, CanonicalRequest canonical, string? origin, TokenEntry entry, GatewayToken token,
        IReadOnlyList<CanonicalOperation> operations, byte[]? body)
    {
        var decision = entry.Compiled.Evaluate(new RequestFacts(canonical, operations, outcome.Client, origin, _time.GetUtcNow(), null));
        if (Admit(outcome, entry, decision, messages: 0) is { } refusal)
        {
            return RejectAsync(context, outcome, refusal);
        }

        var pathAndQuery = canonical.ForwardPath + (canonical.Query is null ? "" : "?" + canonical.Query);
        if (body is not null)
        {
            ReplaceBody(context, body, context.Request.ContentType ?? "application/json");
        }
        else if (context.Request.ContentLength is { } length && length > 0)
        {
            // Streamed, not buffered: watched on the way, so the token cannot reach Mailchimp inside it either.
            Span<byte> secret = stackalloc byte[GatewayToken.RandomLength];
            TokenBytes.WriteSecret(token, secret);
            outcome.BodyGuard = new TokenGuardStream(context.Request.Body, secret, length);
            context.Request.Body = outcome.BodyGuard;
        }

        return ForwardAsync(context, outcome, entry, new InjectingTransformer(entry.Target, canonical.Operation.Method, pathAndQuery, origin));
    }

    private async Task HandleTransactionalAsync(HttpContext context, Outcome outcome, CanonicalRequest canonical, string? origin)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await RejectAsync(context, outcome, GatewayRejection.MethodNotAllowed, "method", null);
            return;
        }

        // Judged in place in the pooled buffer (never forwarded: the rewrite is), which goes back to the pool only after
        // the parsed body that reads it is disposed.
        using var body = await ReadBodyAsync(context);
        if (body is null)
        {
            await RejectAsync(context, outcome, GatewayRejection.BodyTooLarge, "body-size", null);
            return;
        }

        var parsed = MandrillBody.TryParse(body.Memory, context.Request.ContentType, out var mandrill);
        using (mandrill)
        {
            if (parsed != MandrillBody.Outcome.Ok)
            {
                await RejectAsync(context, outcome, parsed switch
                {
                    MandrillBody.Outcome.DuplicateKey => new Refusal(GatewayRejection.AmbiguousCredential, "credential", null),
                    MandrillBody.Outcome.DuplicateField => new Refusal(GatewayRejection.MalformedRequest, "body", "a field is given twice in the body"),
                    MandrillBody.Outcome.FormNotReencodable => new Refusal(
                        GatewayRejection.MalformedRequest, "body",
                        "a form body is accepted only with plain field names (letters, digits, '_'), each once, in UTF-8; send nested parameters as a JSON body"),
                    _ => new Refusal(GatewayRejection.MalformedRequest, "body", null),
                });
                return;
            }

            if (context.Request.Headers.Authorization.Count > 0)
            {
                await RejectAsync(context, outcome, GatewayRejection.AmbiguousCredential, "credential", "send the key in the body only");
                return;
            }

            if (mandrill!.Key is not { } presented)
            {
                await RejectAsync(context, outcome, GatewayRejection.MissingCredential, "credential", null);
                return;
            }

            if (!Authenticate(presented, outcome, out var entry, out var token, out var unauthenticated))
            {
                await RejectAsync(context, outcome, GatewayRejection.InvalidCredential, unauthenticated, null);
                return;
            }

            NoteAllowedOrigin(outcome, entry, origin);

            if (TokenAppearsOutsideAuthorization(context, token))
            {
                await RejectTokenLeakAsync(context, outcome);
                return;
            }

            var method = canonical.Operation.Path;
            var countsSends = entry.Policy.DailyQuota is not null && MandrillSendInspector.IsSendMethod(method);
            SendFacts? send = null;
            if (entry.Compiled.RequiresSendFacts(canonical) || countsSends)
            {
                send = MandrillSendInspector.Inspect(method, mandrill.Json);
            }

            // The quota counts the recipients the body states; a body the inspector cannot read one way only (a form
            // body, whose fields are strings, a field given twice, send-raw without "to") would otherwise count as one
            // message whatever it sends.
            if (countsSends && send is not { RecipientsStated: true })
            {
                await RejectAsync(
                    context, outcome, GatewayRejection.Forbidden, "daily-quota",
                    "the recipients cannot be counted against the token's daily quota: send a JSON body that states \"to\" once");
                return;
            }

            // Before admission, so a body that would leak the token spends none of the token's rate or quota.
            var rewritten = mandrill.RewriteWithKey(entry.Target.Key);
            if (ContainsToken(rewritten, token))
            {
                await RejectTokenLeakAsync(context, outcome);
                return;
            }

            var decision = entry.Compiled.Evaluate(new RequestFacts(canonical, [canonical.Operation], outcome.Client, origin, _time.GetUtcNow(), send));
            var messages = MandrillSendInspector.IsSendMethod(method) ? Math.Max(1, send?.Recipients ?? 1) : 0;
            if (Admit(outcome, entry, decision, messages) is { } refusal)
            {
                await RejectAsync(context, outcome, refusal);
                return;
            }

            // Always JSON, a form body included: the upstream reads the object the gateway judged, not its own parse of the form.
            ReplaceBody(context, rewritten, "application/json");
            await ForwardAsync(context, outcome, entry, new InjectingTransformer(entry.Target, "POST", canonical.ForwardPath, origin));
        }
    }

    /// <summary>
    /// The live token presented for this API, or false with the audit rule that says why not. A token that exists but
    /// cannot be used (revoked, rotated past its grace, suspended, or of the other API) is answered as Mailchimp answers
    /// an invalid key, never "forbidden" or "expired", but its record names it. The clock is read only for a rotated token.
    /// </summary>
    private bool Authenticate(string presented, Outcome outcome, out TokenEntry entry, out GatewayToken token, out string rule)
    {
        entry = null!;
        if (!GatewayToken.TryParsePresented(presented, out token!))
        {
            rule = "credential";
            return false;
        }

        if (!_tokens.TryFind(token.Value, out var found, out var retired))
        {
            rule = "token-unknown";
            return false;
        }

        if (retired is not null)
        {
            outcome.TokenId = retired.TokenId;
            outcome.UpstreamId = retired.UpstreamId;
            rule = retired.Rule;
            return false;
        }

        outcome.TokenId = found!.TokenId;
        outcome.UpstreamId = found.Target.UpstreamId;
        if (found.Target.Kind != outcome.Api)
        {
            rule = "token-wrong-api";
            return false;
        }

        if (found.Superseded && found.IsRetiredAt(_time.GetUtcNow()))
        {
            rule = "token-rotated";
            return false;
        }

        outcome.KeyId = found.Target.KeyId;
        entry = found;
        rule = "allow";
        return true;
    }

    /// <summary>Remembers a browser origin the token allows, so every answer to the request, refusals included, lets it read.</summary>
    private static void NoteAllowedOrigin(Outcome outcome, TokenEntry entry, string? origin)
    {
        if (origin is { Length: > 0 } && entry.Compiled.AllowsOrigin(origin))
        {
            outcome.AllowedOrigin = origin;
        }
    }

    /// <summary>Policy, rate limit and daily quota: why the request may not go on, or null when it may.</summary>
    private Refusal? Admit(Outcome outcome, TokenEntry entry, PolicyDecision decision, int messages)
    {
        if (!decision.Allowed)
        {
            return new Refusal(GatewayRejection.Forbidden, RuleName(decision.Rule), decision.Reason);
        }

        // Judged first (above), counted last: a request the policy refuses spends nothing, and one refused for its
        // quota gives back the request its rate counted.
        if (entry.Policy.Rate is { } rate)
        {
            if (!_limiter.TryAcquire(entry.TokenId, rate, out var retryAfter, out var window))
            {
                return new Refusal(GatewayRejection.RateLimited, "rate", null, retryAfter);
            }

            outcome.RateWindow = window;
        }

        if (messages > 0 && entry.Policy.DailyQuota is { } quota)
        {
            if (!_limiter.TryConsumeDaily(entry.TokenId, quota, messages, out var untilTomorrow, out var day))
            {
                GiveBack(outcome, entry);
                return new Refusal(GatewayRejection.QuotaExceeded, "daily-quota", null, untilTomorrow);
            }

            outcome.QuotaDay = day;
            outcome.QuotaMessages = messages;
        }

        outcome.Rule = "allow";
        return null;
    }

    /// <summary>
    /// Gives back what <see cref="Admit"/> counted, for a request refused before Mailchimp could act on it (a busy key,
    /// a body refused on its way). Not for an upstream failure: the request may have reached Mailchimp.
    /// </summary>
    private void GiveBack(Outcome outcome, TokenEntry entry)
    {
        if (outcome.RateWindow >= 0)
        {
            _limiter.Release(entry.TokenId, outcome.RateWindow);
            outcome.RateWindow = -1;
        }

        if (outcome.QuotaDay >= 0)
        {
            _limiter.ReleaseDaily(entry.TokenId, outcome.QuotaMessages, outcome.QuotaDay);
            outcome.QuotaDay = -1;
        }
    }

    /// <summary>
    /// The queue is full or the store is failing: true when the request must be refused ("audit or refuse"), false when
    /// fail-open serves it anyway. Either way logged at most once a second, with why the records are not being written.
    /// </summary>
    private bool RefuseUnaudited()
    {
        var failOpen = _audit.FailOpen;
        if (_auditLog.TryEnter(out var held))
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

    private async Task ForwardAsync(HttpContext context, Outcome outcome, TokenEntry entry, InjectingTransformer transformer)
    {
        using var lease = await _guard.AcquireAsync(entry.Target.KeyId, context.RequestAborted);
        if (lease is null)
        {
            GiveBack(outcome, entry);
            await RejectAsync(context, outcome, GatewayRejection.KeyBusy, "key-busy", null, 1);
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
            GiveBack(outcome, entry); // the upstream request was aborted: Mailchimp never got a whole request
            outcome.Forwarded = false;
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await RejectTokenLeakAsync(context, outcome);
            }

            return;
        }

        var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        outcome.Forwarded = context.Response.HasStarted; // the upstream answered (its status is on record) and then the copy failed
        if (error == ForwarderError.RequestBodyClient && !context.Response.HasStarted)
        {
            // The client's streamed body failed (malformed, too slow, too large, or the client left) while it was being
            // forwarded. The forwarder aborted the upstream request, so Mailchimp never got a whole request to act on.
            GiveBack(outcome, entry);
            context.Response.Clear();
            if (BodyFailure(failure) is { } body)
            {
                await RejectAsync(context, outcome, body.Rejection, body.Rule, body.Detail);
            }
            else
            {
                outcome.Decision = AuditDecision.Deny;
                outcome.Rule = "client-aborted";
            }

            return;
        }

        Log.ForwardFailed(_logger, entry.Target.UpstreamName, error.ToString(), failure?.GetType().Name ?? "-", failure?.Message ?? "-");
        outcome.Decision = AuditDecision.Error;
        outcome.Rule = "upstream-" + error.ToString().ToLowerInvariant();
        if (!context.Response.HasStarted && error is not (ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled))
        {
            var rejection = error == ForwarderError.RequestTimedOut ? GatewayRejection.UpstreamTimeout : GatewayRejection.UpstreamUnavailable;
            context.Response.Clear();
            AllowOrigin(context, outcome);
            await MailchimpErrors.WriteAsync(context, outcome.Api, rejection);
        }
    }

    private Task PreflightAsync(HttpContext context, Outcome outcome, string? origin)
    {
        outcome.Method = "OPTIONS";
        outcome.Path = context.Request.Path.Value ?? "/";
        if (string.IsNullOrEmpty(origin) || !_tokens.Current.AllowedOrigins.Contains(origin))
        {
            return RejectAsync(context, outcome, GatewayRejection.Forbidden, "origin", "browser requests are refused unless a token allows their origin");
        }

        // The preflight carries no token; the real request is judged against its token's own origins.
        outcome.Decision = AuditDecision.Allow;
        outcome.Rule = "preflight";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        CorsHeaders.Allow(context.Response.Headers, origin);
        context.Response.Headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE";
        context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
        context.Response.Headers.AccessControlMaxAge = "600";
        return Task.CompletedTask;
    }

    private static Task RejectAsync(HttpContext context, Outcome outcome, GatewayRejection rejection, string rule, string? detail, int? retryAfter = null)
    {
        outcome.Decision = AuditDecision.Deny;
        outcome.Rule = rule;
        AllowOrigin(context, outcome);
        return MailchimpErrors.WriteAsync(context, outcome.Api, rejection, detail, retryAfter);
    }

    /// <summary>
    /// A page whose origin the token allows may read the gateway's own answers too (why it was refused, that Mailchimp
    /// is unreachable): set once the token is known, so no origin is allowed before authentication, or by another token.
    /// </summary>
    private static void AllowOrigin(HttpContext context, Outcome outcome)
    {
        if (outcome.AllowedOrigin is { } origin)
        {
            CorsHeaders.Allow(context.Response.Headers, origin);
        }
    }

    private static Task RejectAsync(HttpContext context, Outcome outcome, Refusal refusal) =>
        RejectAsync(context, outcome, refusal.Rejection, refusal.Rule, refusal.Detail, refusal.RetryAfter);

    private static Task RejectTokenLeakAsync(HttpContext context, Outcome outcome) =>
        RejectAsync(context, outcome, GatewayRejection.MalformedRequest, "token-leak", "the token may only be sent as the API key");

    /// <summary>Reads the whole body up to the limit; null when it is larger.</summary>
    private ValueTask<BufferedBody?> ReadBodyAsync(HttpContext context) =>
        RequestBodyReader.ReadAsync(context.Request.Body, context.Request.ContentLength, _options.MaxRequestBodyBytes, context.RequestAborted);

    private static bool IsIdentity(StringValues encodings)
    {
        foreach (var value in encodings)
        {
            foreach (var encoding in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;

    /// <summary>Puts a buffered (and possibly rewritten) body back on the request for the forwarder to send.</summary>
    private static void ReplaceBody(HttpContext context, byte[] body, string contentType)
    {
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = contentType;
        context.Request.Headers.Remove("Transfer-Encoding");
    }

    /// <summary>
    /// True when the request carries its token, or any other gateway token, outside the credential: in the path or
    /// query (forwarded to Mailchimp, where it would land in logs) or in another header. A second token is also a
    /// second credential, which is ambiguous.
    /// </summary>
    private static bool TokenAppearsOutsideAuthorization(HttpContext context, GatewayToken token)
    {
        var secret = token.Value.AsSpan(GatewayToken.Prefix.Length, GatewayToken.RandomLength);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToUriComponent() + context.Request.QueryString;
        var unescaped = Uri.UnescapeDataString(target);
        if (target.AsSpan().Contains(secret, StringComparison.Ordinal) || unescaped.AsSpan().Contains(secret, StringComparison.Ordinal)
            || HoldsAnyToken(unescaped))
        {
            return true;
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null && (value.AsSpan().Contains(secret, StringComparison.Ordinal) || HoldsAnyToken(value)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The first well-formed gateway token in the request-target (percent-decoded), or null.</summary>
    private static string? TokenInTarget(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToUriComponent() + context.Request.QueryString;
        var text = Uri.UnescapeDataString(target);
        var at = IndexOfAnyToken(text);
        return at < 0 ? null : text.Substring(at, GatewayToken.Length);
    }

    /// <summary>True when <paramref name="text"/> holds a well-formed gateway token (checksum included) anywhere.</summary>
    private static bool HoldsAnyToken(ReadOnlySpan<char> text) => IndexOfAnyToken(text) >= 0;

    /// <summary>Where the first well-formed gateway token (checksum included) in <paramref name="text"/> starts, or -1.</summary>
    private static int IndexOfAnyToken(ReadOnlySpan<char> text)
    {
        var offset = 0;
        int at;
        while ((at = text[offset..].IndexOf(GatewayToken.Prefix, StringComparison.Ordinal)) >= 0)
        {
            offset += at;
            if (text.Length - offset >= GatewayToken.Length && GatewayToken.IsValid(text.Slice(offset, GatewayToken.Length)))
            {
                return offset;
            }

            offset += GatewayToken.Prefix.Length;
        }

        return -1;
    }

    /// <summary>True when a body about to be forwarded holds the caller's token, or any other.</summary>
    private static bool ContainsToken(ReadOnlySpan<byte> body, GatewayToken token)
    {
        Span<byte> secret = stackalloc byte[GatewayToken.RandomLength];
        TokenBytes.WriteSecret(token, secret);
        return TokenBytes.AppearIn(body, secret);
    }

    /// <summary>
    /// Runs as the response starts, before any of it is sent: makes the request's audit record durable (spooled on this
    /// thread, or, without a spool, committed by the writer while the response waits). A record that cannot be made
    /// durable (a full disk; the store failing meanwhile) means the client gets no answer (the connection is aborted)
    /// unless fail-open; a refusal because audit is unavailable is sent at once.
    /// </summary>
    private Task CommitAsync(Outcome outcome)
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

    private async Task AwaitDurableAsync(Outcome outcome, Task<bool> written)
    {
        if (!await written.ConfigureAwait(false))
        {
            Unrecorded(outcome);
        }
    }

    /// <summary>The record could not be made durable before the answer: audit or refuse, so no answer (unless fail-open).</summary>
    private void Unrecorded(Outcome outcome)
    {
        if (RefuseUnaudited())
        {
            outcome.Context.Abort();
        }
    }

    /// <summary>Metrics for every request; a record for a request whose response never started, or a second one when it failed after starting.</summary>
    private void Finish(HttpContext context, Outcome outcome)
    {
        var latency = Stopwatch.GetElapsedTime(outcome.Started);
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

        _metrics.Record(outcome.Api switch { UpstreamKind.Marketing => "marketing", UpstreamKind.Transactional => "transactional", _ => "none" }, DecisionName(outcome.Decision), outcome.Rule, context.Response.StatusCode, latency.TotalSeconds);
    }

    private AuditEntry Entry(Outcome outcome)
    {
        var context = outcome.Context;
        var status = context.Response.StatusCode;
        return new AuditEntry(
            _time.GetUtcNow(), AuditKind.Request, outcome.TokenId, outcome.UpstreamId, outcome.KeyId, ClientText(outcome.Client),
            outcome.Method, outcome.Path, outcome.Decision, outcome.Rule, outcome.Forwarded ? status : null,
            Stopwatch.GetElapsedTime(outcome.Started).TotalMilliseconds, context.Request.ContentLength ?? 0, context.Response.ContentLength ?? 0);
    }

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

    private static string DecisionName(AuditDecision decision) => decision switch
    {
        AuditDecision.Allow => "allow",
        AuditDecision.Deny => "deny",
        AuditDecision.Error => "error",
        _ => decision.ToString().ToLowerInvariant(),
    };

    private static string RuleName(DecisionRule rule) => rule switch
    {
        DecisionRule.NotYetValid => "not-before",
        DecisionRule.ClientAddress => "cidr",
        DecisionRule.ReadOnly => "read-only",
        DecisionRule.FromDomain => "from-domain",
        DecisionRule.MaxRecipients => "max-recipients",
        DecisionRule.SendBodyUnreadable => "send-body",
        DecisionRule.Api => "api",
        _ => rule.ToString().ToLowerInvariant(),
    };

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

    /// <summary>A refusal's reason for the client, in words (never the enum's internal name).</summary>
    private static string Describe(CanonicalizationError error, string? detail)
    {
        var what = error switch
        {
            CanonicalizationError.NotAnApiPath => "not a Mailchimp API path",
            CanonicalizationError.DoubleEncoding => "double percent-encoding is refused",
            CanonicalizationError.EncodedSeparator => "an encoded '/' or '\\' is refused",
            CanonicalizationError.Backslash => "a backslash in the path is refused",
            CanonicalizationError.EmptySegment => "an empty path segment ('//') is refused",
            CanonicalizationError.MatrixParameter => "';' parameters in the path are refused",
            CanonicalizationError.DotSegmentEscapesRoot => "the path climbs above the API root",
            CanonicalizationError.InvalidPercentEncoding => "invalid percent-encoding",
            CanonicalizationError.ControlCharacter => "a control character is refused",
            CanonicalizationError.AmbiguousMethodOverride => "conflicting method-override headers",
            CanonicalizationError.MethodOverrideNotOnPost => "a method override is only accepted on POST",
            CanonicalizationError.UnknownMethod => "the method is not one the API takes",
            CanonicalizationError.UnsupportedFormat => "the gateway answers JSON only",
            CanonicalizationError.MalformedBatch => "the batch body is malformed",
            CanonicalizationError.TooManyOperations => "the batch has too many operations",
            CanonicalizationError.BatchOperationInvalid => "a batch operation is invalid",
            CanonicalizationError.InvalidCharacter => "a character that is not allowed",
            CanonicalizationError.TrailingDotOrSpace => "a path segment ending in '.' or ' ' is refused (servers differ on stripping it)",
            _ => "the request is malformed",
        };
        return detail is null ? what : $"{what}: {detail}";
    }

    /// <summary>Why a request is answered by the gateway instead of forwarded.</summary>
    private readonly record struct Refusal(GatewayRejection Rejection, string Rule, string? Detail, int? RetryAfter = null);

    /// <summary>What the audit record and metrics say about one request.</summary>
    private sealed class Outcome(GatewayEndpoint endpoint, HttpContext context, UpstreamKind? api, long started)
    {
        public GatewayEndpoint Endpoint { get; } = endpoint;

        public HttpContext Context { get; } = context;

        public long Started { get; } = started;

        /// <summary>The API the request addresses (its answers take that API's shape), or null for neither.</summary>
        public UpstreamKind? Api { get; set; } = api;

        public IPAddress Client { get; set; } = IPAddress.None;

        public string Method { get; set; } = "";

        public string Path { get; set; } = "";

        public string? TokenId { get; set; }

        public string? UpstreamId { get; set; }

        public string? KeyId { get; set; }

        public AuditDecision Decision { get; set; } = AuditDecision.Deny;

        public string Rule { get; set; } = "none";

        /// <summary>The response is the upstream's: its status is the upstream status on record.</summary>
        public bool Forwarded { get; set; }

        /// <summary>Refused because audit records cannot be written: its own record is not waited for.</summary>
        public bool AuditRefused { get; set; }

        /// <summary>The record has been written (or handed over): what it said, to tell a later change.</summary>
        public bool Committed { get; set; }

        public AuditDecision CommittedDecision { get; set; }

        public string? CommittedRule { get; set; }

        /// <summary>The rate window this request was counted in, or -1.</summary>
        public long RateWindow { get; set; } = -1;

        /// <summary>The day this request's messages were counted on, or -1.</summary>
        public long QuotaDay { get; set; } = -1;

        /// <summary>How many messages were counted on <see cref="QuotaDay"/>.</summary>
        public int QuotaMessages { get; set; }

        /// <summary>The request's browser origin, once its token is known to allow it; null otherwise.</summary>
        public string? AllowedOrigin { get; set; }

        /// <summary>The watch on a streamed body, when the request has one.</summary>
        public TokenGuardStream? BodyGuard { get; set; }
    }
}
