using System.Text.Json;
using System.Text.Json.Serialization;
using Keywarden.Core.Policy;

namespace Keywarden.AdminApi.Documents.Json;

/// <summary>A rate as it is written on the command line: <c>600/min</c>.</summary>
internal sealed class RateLimitJsonConverter : JsonConverter<RateLimit>
{
    public override RateLimit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RateLimit.Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, RateLimit value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
