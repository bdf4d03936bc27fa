using Keywarden.Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>
/// The gateway's own answers to Marketing clients, as Mailchimp's problem+json, so their error handling keeps working.
/// Messages never contain a token or key.
/// </summary>
internal static class MarketingErrors
{
    private const string ProblemType = "https://mailchimp.com/developer/marketing/docs/errors/";

    public static Task WriteAsync(HttpContext context, GatewayRejection rejection, string? detail)
    {
        var (title, fallback) = rejection switch
        {
            GatewayRejection.NotAnApiPath => ("Resource Not Found", "The requested resource could not be found."),
            GatewayRejection.MissingCredential => ("API Key Missing", "Your request did not include an API key."),
            GatewayRejection.InvalidCredential => ("API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter."),
            GatewayRejection.AmbiguousCredential => ("Bad Request", "The request carries more than one credential."),
            GatewayRejection.MalformedRequest => ("Bad Request", "The request could not be understood."),
            GatewayRejection.Forbidden => ("Forbidden", "This token may not make this request."),
            GatewayRejection.MethodNotAllowed => ("Method Not Allowed", "The requested method and resource are not compatible."),
            GatewayRejection.BodyTooLarge => ("Request Entity Too Large", "The request body is larger than the gateway accepts."),
            GatewayRejection.BodyTooSlow => ("Request Timeout", "The request body arrived too slowly; nothing was sent to Mailchimp."),
            GatewayRejection.RateLimited => ("Too Many Requests", "This token has made too many requests; retry after the time in Retry-After."),
            GatewayRejection.QuotaExceeded => ("Too Many Requests", "This token's daily quota is used up."),
            GatewayRejection.KeyBusy => ("Too Many Requests", "Too many requests are waiting for this API key; retry shortly."),
            GatewayRejection.AuditUnavailable => ("Service Unavailable", "The gateway cannot write audit records and refuses unaudited traffic."),
            GatewayRejection.UpstreamUnavailable => ("Bad Gateway", "Mailchimp could not be reached."),
            GatewayRejection.UpstreamTimeout => ("Gateway Timeout", "Mailchimp did not answer in time."),
            _ => ("Internal Server Error", "An unexpected error occurred."),
        };

        return JsonAnswer.WriteProblemAsync(context, RejectionStatus.Of(rejection), ProblemType, title, JsonAnswer.Detail(detail, fallback));
    }
}
