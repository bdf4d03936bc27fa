using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Common;

/// <summary>
/// Parses request JSON into mutable nodes. A repeated property keeps its last value, as PHP's json_decode does
/// (Mailchimp and Mandrill are PHP); System.Text.Json's JsonNode.Parse would throw instead.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Null when the text is not JSON.</summary>
    public static JsonNode? TryParse(string text, out bool valid)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            valid = true;
            return ToNode(document.RootElement);
        }
        catch (JsonException)
        {
            valid = false;
            return null;
        }
    }

    public static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = ToNode(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(ToNode(item));
                }

                return array;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>"string", "integer", "number", "boolean", "object", "array" or "null": the words of Mailchimp's schema errors.</summary>
    public static string KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => node.AsValue().TryGetValue<long>(out _) ? "integer" : "number",
        _ => "unknown",
    };

    public static string? GetString(this JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
