using System.Text.Json;
using Keywarden.Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>
/// The gateway's own answers to Transactional (Mandrill) clients, as Mandrill's error object
/// <c>{"status":"error","code":-1,"name":…,"message":…}</c>, with Mandrill's 500 for what REST calls 400, 401 and 403.
/// Messages never contain a token or key.
/// </summary>
internal static class TransactionalErrors
{
    public static int StatusOf(GatewayRejection rejection) => rejection switch
    {
        GatewayRejection.MissingCredential or GatewayRejection.InvalidCredential or GatewayRejection.AmbiguousCredential
            or GatewayRejection.MalformedRequest or GatewayRejection.Forbidden => StatusCodes.Status500InternalServerError,
        _ => RejectionStatus.Of(rejection),
    };

    public static async Task WriteAsync(HttpContext context, GatewayRejection rejection, string? detail)
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

        context.Response.StatusCode = StatusOf(rejection);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonAnswer.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("status", "error");
        writer.WriteNumber("code", -1);
        writer.WriteString("name", name);
        writer.WriteString("message", JsonAnswer.Detail(detail, message));
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
