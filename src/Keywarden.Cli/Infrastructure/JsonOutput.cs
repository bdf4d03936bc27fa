using System.CommandLine;
using System.Text.Json;
using Keywarden.AdminApi.Documents;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// The <c>--json</c> output: one object per command, snake_case like Mailchimp's own API, <c>"version"</c> first. Times are
/// UTC with milliseconds (<c>2026-12-03T11:28:28.123Z</c>, as in the audit log), rates as written (<c>600/min</c>), an
/// absent value is <c>null</c> (never <c>""</c>), and text is not escaped beyond what JSON needs (people read it too).
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = DocumentJson.CreateOptions(indented: true);

    /// <summary>Writes <paramref name="document"/> (an object) with <c>"version"</c> as its first field.</summary>
    public static void Write(CliContext context, object document) => context.Out.WriteLine(Render(document));

    public static string Render(object document) => DocumentJson.Versioned(document, Options).ToJsonString(Options);

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
        var document = JsonDocument.Parse(Render(value)).RootElement;
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
