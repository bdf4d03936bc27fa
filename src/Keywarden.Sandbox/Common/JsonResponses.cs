using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Sandbox.Common;

/// <summary>Writes JSON nodes to HTTP responses (no reflection: the sandbox stays trimming- and AOT-safe).</summary>
internal static class JsonResponses
{
    public const string Json = "application/json; charset=utf-8";
    public const string ProblemJson = "application/problem+json; charset=utf-8";

    // Mailchimp writes "Everything's Chimpy!" with a plain apostrophe; the default encoder would write \u0027.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpResponse response, int status, JsonNode? body, string contentType = Json)
    {
        response.StatusCode = status;
        if (status == StatusCodes.Status204NoContent)
        {
            return;
        }

        response.ContentType = contentType;
        var bytes = ToUtf8(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, response.HttpContext.RequestAborted);
    }

    public static byte[] ToUtf8(JsonNode? body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (body is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                body.WriteTo(writer);
            }
        }

        return buffer.ToArray();
    }

    public static string ToJsonString(JsonNode? body) => System.Text.Encoding.UTF8.GetString(ToUtf8(body));
}
