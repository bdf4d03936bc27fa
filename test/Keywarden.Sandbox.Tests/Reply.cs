using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Tests;

/// <summary>A response read whole: status, media type, body text and (when JSON) the parsed body.</summary>
internal sealed class Reply
{
    public Reply(HttpResponseMessage response, string text)
    {
        Response = response;
        Text = text;
        Json = text.Length > 0 && (text[0] is '{' or '[' or '"') ? JsonNode.Parse(text) : null;
    }

    public HttpResponseMessage Response { get; }

    public int Status => (int)Response.StatusCode;

    public string? MediaType => Response.Content.Headers.ContentType?.MediaType;

    public string Text { get; }

    public JsonNode? Json { get; }

    public string? String(string name) => Json?[name]?.GetValue<string>();
}
