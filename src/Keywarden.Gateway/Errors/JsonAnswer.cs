using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Errors;

/// <summary>Writing the gateway's own JSON answers: one writer setting, and problem+json (RFC 9457).</summary>
public static class JsonAnswer
{
    /// <summary>
    /// Apostrophes and non-ASCII text as they are (not <c>\u0027</c>): people read these bodies. Safe because the
    /// body is never HTML: its content type is JSON and <c>nosniff</c> forbids a browser to guess otherwise.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A problem+json body with <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c> and the request's trace id as <c>instance</c>.</summary>
    public static async Task WriteProblemAsync(HttpContext context, int status, string type, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("title", title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", detail);
        writer.WriteString("instance", context.TraceIdentifier);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>The client's words: the gateway's own detail, marked as Keywarden's, or the API's default when there is none.</summary>
    public static string Detail(string? detail, string fallback) => detail is null ? fallback : "Keywarden: " + detail;
}
