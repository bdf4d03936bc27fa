using System.Text.Json;
using Keywarden.Core.Keys;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Errors;

/// <summary>
/// Writes the gateway's own answers in Mailchimp's shapes, so clients' error handling keeps working:
/// problem+json for Marketing, <c>{"status":"error","code":-1,"name":…,"message":…}</c> for Transactional.
/// Messages never contain a token or key.
/// </summary>
internal static class MailchimpErrors
{
    private const string ProblemType = "https://mailchimp.com/developer/marketing/docs/errors/";

    public static Task WriteAsync(HttpContext context, UpstreamKind api, GatewayRejection rejection, string? detail = null, int? retryAfterSeconds = null)
    {
        var response = context.Response;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        return api == UpstreamKind.Marketing
            ? WriteProblemAsync(context, rejection, detail)
            : WriteTransactionalAsync(context, rejection, detail);
    }

    public static int StatusOf(UpstreamKind api, GatewayRejection rejection) => rejection switch
    {
        GatewayRejection.NotAnApiPath => StatusCodes.Status404NotFound,
        GatewayRejection.MissingCredential or GatewayRejection.InvalidCredential =>
            api == UpstreamKind.Marketing ? StatusCodes.Status401Unauthorized : StatusCodes.Status500InternalServerError,
        GatewayRejection.AmbiguousCredential or GatewayRejection.MalformedRequest =>
            api == UpstreamKind.Marketing ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError,
        GatewayRejection.Forbidden => api == UpstreamKind.Marketing ? StatusCodes.Status403Forbidden : StatusCodes.Status500InternalServerError,
        GatewayRejection.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        GatewayRejection.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        GatewayRejection.RateLimited or GatewayRejection.QuotaExceeded or GatewayRejection.KeyBusy => StatusCodes.Status429TooManyRequests,
        GatewayRejection.AuditUnavailable => StatusCodes.Status503ServiceUnavailable,
        GatewayRejection.UpstreamUnavailable => StatusCodes.Status502BadGateway,
        GatewayRejection.UpstreamTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static async Task WriteProblemAsync(HttpContext context, GatewayRejection rejection, string? detail)
    {
        var status = StatusOf(UpstreamKind.Marketing, rejection);
        var (title, defaultDetail) = rejection switch
        {
            GatewayRejection.NotAnApiPath => ("Resource Not Found", "The requested resource could not be found."),
            GatewayRejection.MissingCredential => ("API Key Missing", "Your request did not include an API key."),
            GatewayRejection.InvalidCredential => ("API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter."),
            GatewayRejection.AmbiguousCredential => ("Bad Request", "The request carries more than one credential."),
            GatewayRejection.MalformedRequest => ("Bad Request", "The request could not be understood."),
            GatewayRejection.Forbidden => ("Forbidden", "This token may not make this request."),
            GatewayRejection.MethodNotAllowed => ("Method Not Allowed", "The requested method and resource are not compatible."),
            GatewayRejection.BodyTooLarge => ("Request Entity Too Large", "The request body is larger than the gateway accepts."),
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
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("type", ProblemType);
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
            GatewayRejection.RateLimited or GatewayRejection.KeyBusy => ("Too_Many_Requests", "Too many requests; retry after the time in Retry-After."),
            GatewayRejection.QuotaExceeded => ("Too_Many_Requests", "This key's daily sending quota is used up."),
            GatewayRejection.AuditUnavailable => ("GeneralError", "The gateway cannot write audit records and refuses unaudited traffic."),
            GatewayRejection.UpstreamUnavailable => ("GeneralError", "Mailchimp Transactional could not be reached."),
            GatewayRejection.UpstreamTimeout => ("GeneralError", "Mailchimp Transactional did not answer in time."),
            _ => ("GeneralError", "An unexpected error occurred."),
        };

        context.Response.StatusCode = StatusOf(UpstreamKind.Transactional, rejection);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", "error");
        writer.WriteNumber("code", -1);
        writer.WriteString("name", name);
        writer.WriteString("message", detail is null ? message : "Keywarden: " + detail);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
