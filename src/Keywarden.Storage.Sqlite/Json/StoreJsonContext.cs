using System.Text.Json.Serialization;

namespace Keywarden.Storage.Sqlite.Json;

/// <summary>Source-generated serialisation: no reflection, so the CLI can be trimmed or AOT-compiled.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PolicyDocument))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
