using System.Globalization;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// A command's JSON document as a node, whether built here (local mode) or answered by the admin API (remote mode), so
/// that one printer writes the same text and the same <c>--json</c> from either.
/// </summary>
internal static class DocumentNodes
{
    /// <summary><paramref name="document"/> as the admin API would answer it: <c>"version"</c> first, the same converters.</summary>
    public static JsonObject Of(object document) => DocumentJson.Versioned(document, JsonOutput.Options);

    /// <summary>A text field, or null when it is absent or null.</summary>
    public static string? Text(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A true/false field; false when absent.</summary>
    public static bool Flag(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>An instant field, or null when it is absent or null.</summary>
    public static DateTimeOffset? Instant(JsonNode? node, string name) =>
        Text(node, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;

    /// <summary>The items of an array field (none when absent).</summary>
    public static IReadOnlyList<JsonNode> Items(JsonNode? node, string name) =>
        node?[name] is JsonArray array ? array.Where(item => item is not null).Select(item => item!).ToList() : [];

    /// <summary>A path segment for a name the user typed.</summary>
    public static string Segment(string name) => Uri.EscapeDataString(name);
}
