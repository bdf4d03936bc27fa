using System.CommandLine;
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

    /// <summary>
    /// <c>--field NAME</c>: one of <paramref name="fields"/> (the command's JSON document's top-level names), checked
    /// while parsing, so a misspelt name fails before the command does anything.
    /// </summary>
    public static Option<string?> FieldOption(IReadOnlyList<string> fields)
    {
        var option = new Option<string?>("--field")
        {
            Description = $"Print only this field of the --json document, as plain text: {string.Join(", ", fields)}",
            HelpName = "name",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !fields.Contains(name, StringComparer.Ordinal))
            {
                result.AddError($"unknown field '{name}' for --field; the fields are {string.Join(", ", fields)}");
            }
        });
        option.CompletionSources.Add([.. fields]);
        return option;
    }

    /// <summary>
    /// One field of the document <see cref="Write"/> would print, for a shell variable: a string or number as its text,
    /// null as an empty line, an object or array as its JSON.
    /// </summary>
    public static void WriteField(CliContext context, object value, string field)
    {
        var document = JsonSerializer.SerializeToElement(value, Options);
        if (!document.TryGetProperty(field, out var element))
        {
            throw new InvalidOperationException($"the JSON document has no field '{field}'");
        }

        context.Out.WriteLine(element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Null => "",
            _ => element.GetRawText(),
        });
    }
}
