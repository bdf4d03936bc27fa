using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keywarden.AdminApi.Documents.Json;

/// <summary>An absent text is <c>null</c> in the CLI's JSON, never <c>""</c>: scripts test one thing.</summary>
internal sealed class EmptyAsNullStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (value.Length == 0)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
