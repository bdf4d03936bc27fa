using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;
using Keywarden.Gateway;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Forwarding;
using Keywarden.Gateway.Outcomes;
using Keywarden.Gateway.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>
/// Transactional (Mandrill, <c>/api/1.0/…</c>): POST only, the token as the body's <c>key</c>, the body read whole and
/// judged in place (sender, recipients, daily quota), then forwarded as the JSON object that was judged with the real
/// key in it (a form body included: the upstream reads what the gateway read, not its own parse of the form).
/// </summary>
internal sealed class TransactionalFlow(Admission admission, UpstreamForwarding forwarding, GatewayOptions options) : IApiFlow
{
    public UpstreamKind Api => UpstreamKind.Transactional;

    public string Name => "transactional";

    public string PathHint => "/api/1.0/… (Transactional)";

    public string AllowedMethods => "POST";

    public Task WriteRefusalAsync(HttpContext context, GatewayRejection rejection, string? detail) =>
        TransactionalErrors.WriteAsync(context, rejection, detail);

    public async Task HandleAsync(HttpContext context, RequestOutcome outcome, CanonicalRequest canonical, string? origin)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await Answers.RejectAsync(context, outcome, GatewayRejection.MethodNotAllowed, RuleNames.HttpMethod, null);
            return;
        }

        // Judged in place in the pooled buffer (never forwarded: the rewrite is), which goes back to the pool only after
        // the parsed body that reads it is disposed.
        using var body = await RequestBodies.ReadAsync(context, options.MaxRequestBodyBytes);
        if (body is null)
        {
            await Answers.RejectAsync(context, outcome, GatewayRejection.BodyTooLarge, RuleNames.BodySize, null);
            return;
        }

        var parsed = MandrillBody.TryParse(body.Memory, context.Request.ContentType, out var mandrill);
        using (mandrill)
        {
            if (parsed != MandrillBody.Outcome.Ok)
            {
                await Answers.RejectAsync(context, outcome, parsed switch
                {
                    MandrillBody.Outcome.DuplicateKey => new Refusal(GatewayRejection.AmbiguousCredential, RuleNames.Credential, null),
                    MandrillBody.Outcome.DuplicateField => new Refusal(GatewayRejection.MalformedRequest, RuleNames.Body, "a field is given twice in the body"),
                    MandrillBody.Outcome.FormNotReencodable => new Refusal(
                        GatewayRejection.MalformedRequest, RuleNames.Body,
                        "a form body is accepted only with plain field names (letters, digits, '_'), each once, in UTF-8; send nested parameters as a JSON body"),
                    _ => new Refusal(GatewayRejection.MalformedRequest, RuleNames.Body, null),
                });
                return;
            }

            if (context.Request.Headers.Authorization.Count > 0)
            {
                await Answers.RejectAsync(context, outcome, GatewayRejection.AmbiguousCredential, RuleNames.Credential, "send the key in the body only");
                return;
            }

            if (mandrill!.Key is not { } presented)
            {
                await Answers.RejectAsync(context, outcome, GatewayRejection.MissingCredential, RuleNames.Credential, null);
                return;
            }

            if (!admission.Authenticate(presented, outcome, out var entry, out var token, out var unauthenticated))
            {
                await Answers.RejectAsync(context, outcome, unauthenticated);
                return;
            }

            Admission.NoteAllowedOrigin(outcome, entry, origin);

            if (TokenLeaks.OutsideAuthorization(context, token))
            {
                await Answers.RejectTokenLeakAsync(context, outcome);
                return;
            }

            var method = canonical.Operation.Path;
            var sends = MandrillSendInspector.IsSendMethod(method);
            var countsSends = entry.Policy.DailyQuota is not null && sends;
            SendFacts? send = null;
            if (sends)
            {
                // Read from the body already parsed, for every send (the policy's limits, the quota, and the audit's facts
                // the monitor learns from, which a token without send limits needs most).
                send = MandrillSendInspector.Inspect(method, mandrill.Json);
                if (send is not null)
                {
                    Admission.NoteSend(outcome, send);
                }
            }

            // The quota counts the recipients the body states; a body the inspector cannot read one way only (a form
            // body, whose fields are strings, a field given twice, send-raw without "to") would otherwise count as one
            // message whatever it sends.
            if (countsSends && send is not { RecipientsStated: true })
            {
                await Answers.RejectAsync(
                    context, outcome, GatewayRejection.Forbidden, RuleNames.DailyQuota,
                    "the recipients cannot be counted against the token's daily quota: send a JSON body that states \"to\" once");
                return;
            }

            // Before admission, so a body that would leak the token spends none of the token's rate or quota.
            var rewritten = mandrill.RewriteWithKey(entry.Target.Key);
            if (TokenLeaks.InBody(rewritten, token))
            {
                await Answers.RejectTokenLeakAsync(context, outcome);
                return;
            }

            var decision = entry.Compiled.Evaluate(new RequestFacts(canonical, [canonical.Operation], outcome.Client, origin, admission.Now, send));
            var messages = sends ? Math.Max(1, send?.Recipients ?? 1) : 0;
            if (admission.Admit(outcome, entry, decision, messages) is { } refusal)
            {
                await Answers.RejectAsync(context, outcome, refusal);
                return;
            }

            // Always JSON, a form body included: the upstream reads the object the gateway judged, not its own parse of the form.
            RequestBodies.Replace(context, rewritten, "application/json");
            await forwarding.ForwardAsync(context, outcome, entry, new InjectingTransformer(entry.Target, "POST", canonical.ForwardPath, origin, authorization: null));
        }
    }
}
