using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;
using Keywarden.Core.Tokens;
using Keywarden.Gateway;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Forwarding;
using Keywarden.Gateway.Outcomes;
using Keywarden.Gateway.Pipeline;
using Keywarden.Gateway.Tokens;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>
/// Marketing (<c>/3.0/…</c>): the token in the Authorization header (Basic with any user name, or Bearer), the request
/// judged by its canonical method and path (a batch by each of its operations), the body streamed to Mailchimp with a
/// watch for the token, or read first when it must be judged (a batch) or has no declared length.
/// </summary>
/// <remarks>
/// Steps hand on the next step's task instead of awaiting it, so a request does not pay for a heap-allocated state
/// machine per step (each would suspend while the request is forwarded).
/// </remarks>
internal sealed class MarketingFlow(Admission admission, UpstreamForwarding forwarding, GatewayOptions options) : IApiFlow
{
    public UpstreamKind Api => UpstreamKind.Marketing;

    public string Name => "marketing";

    public string PathHint => "/3.0/… (Marketing)";

    public string AllowedMethods => "GET, POST, PUT, PATCH, DELETE, OPTIONS";

    public Task WriteRefusalAsync(HttpContext context, GatewayRejection rejection, string? detail) =>
        MarketingErrors.WriteAsync(context, rejection, detail);

    public Task HandleAsync(HttpContext context, RequestOutcome outcome, CanonicalRequest canonical, string? origin)
    {
        var found = MarketingCredential.TryRead(context.Request.Headers.Authorization, out var presented);
        if (found != MarketingCredential.Outcome.Found)
        {
            if (found == MarketingCredential.Outcome.Missing && TokenLeaks.InTarget(context) is { } inUrl)
            {
                // Not "API Key Missing": the client sent its token, in a place where it leaks (proxy and server logs).
                admission.Identify(inUrl, outcome);

                return Answers.RejectAsync(
                    context, outcome, GatewayRejection.MalformedRequest, RuleNames.TokenInUrl,
                    "a token in the URL is refused (URLs end up in logs): send it as the API key, Authorization: Basic with any user name and the token as password, or Bearer");
            }

            var rejection = found switch
            {
                MarketingCredential.Outcome.Missing => GatewayRejection.MissingCredential,
                MarketingCredential.Outcome.Ambiguous => GatewayRejection.AmbiguousCredential,
                _ => GatewayRejection.InvalidCredential,
            };
            return Answers.RejectAsync(context, outcome, rejection, RuleNames.Credential, null);
        }

        if (!admission.Authenticate(presented, outcome, out var entry, out var token, out var unauthenticated))
        {
            return Answers.RejectAsync(context, outcome, unauthenticated);
        }

        Admission.NoteAllowedOrigin(outcome, entry, origin);

        if (TokenLeaks.OutsideAuthorization(context, token))
        {
            return Answers.RejectTokenLeakAsync(context, outcome);
        }

        // A batch is judged by its body. A body of unknown length (chunked) is read too: streamed, it would reach
        // Mailchimp before the size limit could refuse it (the forwarder does not enforce Kestrel's limit).
        return canonical.IsBatch || (context.Request.ContentLength is null && RequestBodies.CanHaveBody(context))
            ? HandleBufferedAsync(context, outcome, canonical, origin, entry, token)
            : AdmitAndForwardAsync(context, outcome, canonical, origin, entry, token, [canonical.Operation], body: null);
    }

    /// <summary>A request whose body is read before it is judged (a batch, or a body of unknown length).</summary>
    private async Task HandleBufferedAsync(
        HttpContext context, RequestOutcome outcome, CanonicalRequest canonical, string? origin, TokenEntry entry, GatewayToken token)
    {
        var read = await RequestBodies.ReadAsync(context, options.MaxRequestBodyBytes);
        if (read is null)
        {
            await Answers.RejectAsync(context, outcome, GatewayRejection.BodyTooLarge, RuleNames.BodySize, null);
            return;
        }

        // Copied out of the pooled buffer: this body is forwarded, and outlives the request's judgement.
        byte[] body;
        using (read)
        {
            body = read.ToArray();
        }

        if (TokenLeaks.InBody(body, token))
        {
            await Answers.RejectTokenLeakAsync(context, outcome);
            return;
        }

        IReadOnlyList<CanonicalOperation> operations = [canonical.Operation];
        if (canonical.IsBatch)
        {
            var batch = RequestCanonicalizer.CanonicalizeBatch(body);
            if (!batch.Success)
            {
                await Answers.RejectAsync(
                    context, outcome, GatewayRejection.MalformedRequest, RuleNames.Canonical, Answers.Describe(batch.Error, batch.Detail));
                return;
            }

            operations = batch.Operations!;
        }

        await AdmitAndForwardAsync(context, outcome, canonical, origin, entry, token, operations, body);
    }

    private Task AdmitAndForwardAsync(
        HttpContext context, RequestOutcome outcome, CanonicalRequest canonical, string? origin, TokenEntry entry, GatewayToken token,
        IReadOnlyList<CanonicalOperation> operations, byte[]? body)
    {
        var decision = entry.Compiled.Evaluate(new RequestFacts(canonical, operations, outcome.Client, origin, admission.Now, null));
        if (admission.Admit(outcome, entry, decision, messages: 0) is { } refusal)
        {
            return Answers.RejectAsync(context, outcome, refusal);
        }

        var pathAndQuery = canonical.ForwardPath + (canonical.Query is null ? "" : "?" + canonical.Query);
        if (body is not null)
        {
            RequestBodies.Replace(context, body, context.Request.ContentType ?? "application/json");
        }
        else if (context.Request.ContentLength is { } length && length > 0)
        {
            // Streamed, not buffered: watched on the way, so the token cannot reach Mailchimp inside it either.
            RequestBodies.Watch(context, outcome, token, length);
        }

        return forwarding.ForwardAsync(context, outcome, entry, new InjectingTransformer(entry.Target, canonical.Operation.Method, pathAndQuery, origin, entry.Target.AuthorizationHeader));
    }
}
