using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keywarden.Cli.Infrastructure;

/// <summary>The <c>--json</c> output: snake_case like Mailchimp's own API, one document per command.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(CliContext context, object value) =>
        context.Out.WriteLine(JsonSerializer.Serialize(value, Options));
}
