using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Keywarden.AdminApi.Documents.Json;

namespace Keywarden.AdminApi.Documents;

/// <summary>
/// The JSON documents the CLI prints with <c>--json</c> and the admin API answers with: one object each, snake_case like
/// Mailchimp's own API, <c>"version"</c> first. Times are UTC with milliseconds (<c>2026-12-03T11:28:28.123Z</c>, as in the
/// audit log), rates as written (<c>600/min</c>), an absent value is <c>null</c> (never <c>""</c>), and text is not escaped
/// beyond what JSON needs (people read it too).
/// </summary>
public static class DocumentJson
{
    /// <summary>The shape of every document; raised when a field is removed or changes meaning, not when one is added.</summary>
    public const int Version = 1;

    /// <summary>The serializer settings of every document, indented for people or compact for the wire.</summary>
    public static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented };
        Configure(options);
        return options;
    }

    /// <summary>Gives <paramref name="options"/> the documents' naming, nulls, escaping and converters (for a host's own options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new TimestampJsonConverter());
        options.Converters.Add(new RateLimitJsonConverter());
        options.Converters.Add(new EmptyAsNullStringConverter());
    }

    /// <summary><paramref name="document"/> (an object) as a JSON object with <c>"version"</c> as its first field.</summary>
    /// <exception cref="InvalidOperationException">The document is not an object.</exception>
    public static JsonObject Versioned(object document, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(document, options) as JsonObject
            ?? throw new InvalidOperationException("a JSON document is an object (wrap a list in a named field)");
        var versioned = new JsonObject { ["version"] = Version };
        foreach (var (name, value) in node.ToList())
        {
            node.Remove(name);
            versioned[name] = value;
        }

        return versioned;
    }
}
