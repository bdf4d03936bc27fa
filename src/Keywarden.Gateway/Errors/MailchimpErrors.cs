using System.Text.Encodings.Web;
using System.Text.Json;
using Keywarden.Core.Keys;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Errors;

/// <summary>
/// Writes the gateway's own answers in Mailchimp's shapes, so clients' error handling keeps working:
/// problem+json for Marketing, <c>{"status":"error","code":-1,"name":…,"message":…}</c> for Transactional, and a neutral
/// problem+json (<c>"type":"about:blank"</c>) for a request that addresses neither API. Messages never contain a token or key.
/// </summary>
internal static class MailchimpErrors
{
    private const string ProblemType = "https://mailchimp.com/developer/marketing/docs/errors/";

    /// <summary>The methods the gateway forwards, for the Allow header of a 405.</summary>
    public const string AllowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

    private const string NeutralType = "about:blank";

    /// <summary>
    /// Apostrophes and non-ASCII text as they are (not <c>\u0027</c>): people read these bodies. Safe because the
    /// body is never HTML: its content type is JSON and <c>nosniff</c> forbids a browser to guess otherwise.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="context">The request.</param>
    /// <param name="api">The API the request addresses, or null for neither (a neutral shape).</param>
    /// <param name="rejection">Why the gateway answers itself.</param>
    /// <param name="detail">What the client should know, without a secret; the rejection's own words when null.</param>
    /// <param name="retryAfterSeconds">A Retry-After header, when retrying later can work.</param>
    public static Task WriteAsync(HttpContext context, UpstreamKind? api, GatewayRejection rejection, string? detail = null, int? retryAfterSeconds = null)
    {
        var response = context.Response;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (rejection == GatewayRejection.MethodNotAllowed)
        {
            response.Headers.Allow = api == UpstreamKind.Transactional ? "POST" : AllowedMethods;
        }

        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        return api switch
        {
            UpstreamKind.Marketing => WriteProblemAsync(context, rejection, detail, ProblemType),
            UpstreamKind.Transactional => WriteTransactionalAsync(context, rejection, detail),
            _ => WriteProblemAsync(context, rejection, detail, NeutralType),
        };
    }

    public static int StatusOf(UpstreamKind? api, GatewayRejection rejection) => rejection switch
    {
        GatewayRejection.NotAnApiPath => StatusCodes.Status404NotFound,
        GatewayRejection.MissingCredential or GatewayRejection.InvalidCredential =>
            api == UpstreamKind.Transactional ? StatusCodes.Status500InternalServerError : StatusCodes.Status401Unauthorized,
        GatewayRejection.AmbiguousCredential or GatewayRejection.MalformedRequest =>
            api == UpstreamKind.Transactional ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest,
        GatewayRejection.Forbidden => api == UpstreamKind.Transactional ? StatusCodes.Status500InternalServerError : StatusCodes.Status403Forbidden,
        GatewayRejection.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        GatewayRejection.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        GatewayRejection.BodyTooSlow => StatusCodes.Status408RequestTimeout,
        GatewayRejection.RateLimited or GatewayRejection.QuotaExceeded or GatewayRejection.KeyBusy => StatusCodes.Status429TooManyRequests,
        GatewayRejection.AuditUnavailable => StatusCodes.Status503ServiceUnavailable,
        GatewayRejection.UpstreamUnavailable => StatusCodes.Status502BadGateway,
        GatewayRejection.UpstreamTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static async Task WriteProblemAsync(HttpContext context, GatewayRejection rejection, string? detail, string type)
    {
        var status = StatusOf(UpstreamKind.Marketing, rejection);
        var (title, defaultDetail) = rejection switch
        {
            GatewayRejection.NotAnApiPath when type == NeutralType => ("Not Found", "Not a Mailchimp API path: the gateway serves /3.0/… (Marketing) and /api/1.0/… (Transactional)."),
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

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("title", title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", detail is null ? defaultDetail : "Keywarden: " + detail);
        writer.WriteString("instance", context.TraceIdentifier);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteTransactionalAsync(HttpContext context, GatewayRejection rejection, string? detail)
    {
        var (name, message) = rejection switch
        {
            GatewayRejection.NotAnApiPath => ("Unknown_Method", "You specified an unknown method."),
            GatewayRejection.MissingCredential or GatewayRejection.InvalidCredential => ("Invalid_Key", "Invalid API key"),
            GatewayRejection.AmbiguousCredential => ("ValidationError", "The request carries more than one API key."),
            GatewayRejection.MalformedRequest => ("ValidationError", "The request could not be understood."),
            GatewayRejection.Forbidden => ("Forbidden", "This key may not make this call."),
            GatewayRejection.MethodNotAllowed => ("ValidationError", "API calls are made with POST."),
            GatewayRejection.BodyTooLarge => ("ValidationError", "The request body is larger than the gateway accepts."),
            GatewayRejection.BodyTooSlow => ("ValidationError", "The request body arrived too slowly; nothing was sent to Mailchimp."),
            GatewayRejection.RateLimited or GatewayRejection.KeyBusy => ("Too_Many_Requests", "Too many requests; retry after the time in Retry-After."),
            GatewayRejection.QuotaExceeded => ("Too_Many_Requests", "This key's daily sending quota is used up."),
            GatewayRejection.AuditUnavailable => ("GeneralError", "The gateway cannot write audit records and refuses unaudited traffic."),
            GatewayRejection.UpstreamUnavailable => ("GeneralError", "Mailchimp Transactional could not be reached."),
            GatewayRejection.UpstreamTimeout => ("GeneralError", "Mailchimp Transactional did not answer in time."),
            _ => ("GeneralError", "An unexpected error occurred."),
        };

        context.Response.StatusCode = StatusOf(UpstreamKind.Transactional, rejection);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("status", "error");
        writer.WriteNumber("code", -1);
        writer.WriteString("name", name);
        writer.WriteString("message", detail is null ? message : "Keywarden: " + detail);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
