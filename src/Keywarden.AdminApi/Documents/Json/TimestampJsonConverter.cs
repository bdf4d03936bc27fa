using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keywarden.AdminApi.Documents.Json;

/// <summary>Every instant in UTC with milliseconds, the audit log's precision: <c>2026-12-03T11:28:28.123Z</c>.</summary>
internal sealed class TimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
