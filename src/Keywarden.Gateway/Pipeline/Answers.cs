using System.Globalization;
using Keywarden.Core.Audit;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Outcomes;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// The gateway's own answers: refusals and failures in the shape of the API addressed (its flow's
/// <see cref="IApiFlow.WriteRefusalAsync"/>, or a neutral problem+json for none), with the rule on record. Every such
/// answer is <c>no-store</c> and <c>nosniff</c>, and readable by a browser origin the token allows.
/// </summary>
public static class Answers
{
    /// <summary>Refuses the request: recorded as denied under <paramref name="rule"/> (<see cref="RuleNames"/>).</summary>
    public static Task RejectAsync(
        HttpContext context, RequestOutcome outcome, GatewayRejection rejection, string rule, string? detail, int? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        outcome.Decision = AuditDecision.Deny;
        outcome.Rule = rule;
        return WriteAsync(context, outcome, rejection, detail, retryAfter);
    }

    public static Task RejectAsync(HttpContext context, RequestOutcome outcome, Refusal refusal) =>
        RejectAsync(context, outcome, refusal.Rejection, refusal.Rule, refusal.Detail, refusal.RetryAfter);

    public static Task RejectTokenLeakAsync(HttpContext context, RequestOutcome outcome) =>
        RejectAsync(context, outcome, GatewayRejection.MalformedRequest, RuleNames.TokenLeak, "the token may only be sent as the API key");

    /// <summary>An error the gateway met (not a refusal of the request): recorded as such, answered in the API's shape.</summary>
    public static Task FailAsync(HttpContext context, RequestOutcome outcome, GatewayRejection rejection, string rule)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        outcome.Decision = AuditDecision.Error;
        outcome.Rule = rule;
        return WriteAsync(context, outcome, rejection, null, null);
    }

    /// <summary>Writes the answer without touching the record (the decision and rule are already set).</summary>
    internal static Task WriteAsync(HttpContext context, RequestOutcome outcome, GatewayRejection rejection, string? detail, int? retryAfter)
    {
        AllowOrigin(context, outcome);
        var headers = context.Response.Headers;
        if (retryAfter is { } seconds)
        {
            headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (rejection == GatewayRejection.MethodNotAllowed)
        {
            headers.Allow = outcome.Flow?.AllowedMethods ?? NeutralAnswers.AllowedMethods;
        }

        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        return outcome.Flow is { } flow
            ? flow.WriteRefusalAsync(context, rejection, detail)
            : outcome.Neutral.WriteAsync(context, rejection, detail);
    }

    /// <summary>
    /// A page whose origin the token allows may read the gateway's own answers too (why it was refused, that Mailchimp
    /// is unreachable): set once the token is known, so no origin is allowed before authentication, or by another token.
    /// </summary>
    private static void AllowOrigin(HttpContext context, RequestOutcome outcome)
    {
        if (outcome.AllowedOrigin is { } origin)
        {
            CorsHeaders.Allow(context.Response.Headers, origin);
        }
    }

    /// <summary>A request body Kestrel gave up on (malformed chunks, too slow, too large), as a refusal; null for anything else.</summary>
    internal static Refusal? BodyFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BadHttpRequestException bad)
            {
                return bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => new Refusal(GatewayRejection.BodyTooLarge, RuleNames.BodySize, null),
                    StatusCodes.Status408RequestTimeout => new Refusal(GatewayRejection.BodyTooSlow, RuleNames.BodyTimeout, null),
                    _ => new Refusal(GatewayRejection.MalformedRequest, RuleNames.BodyMalformed, "the request body is malformed (bad chunked encoding, or shorter than its Content-Length)"),
                };
            }
        }

        return null;
    }

    /// <summary>A refusal's reason for the client, in words (never the enum's internal name).</summary>
    public static string Describe(CanonicalizationError error, string? detail)
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
}
