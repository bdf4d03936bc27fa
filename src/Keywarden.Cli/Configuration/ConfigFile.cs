using System.CommandLine;
using System.Text.Json;
using Keywarden.Cli.Infrastructure;

namespace Keywarden.Cli.Configuration;

/// <summary>
/// A JSON config file: one object, whose only key is a command's section (<c>"serve"</c>), an object keyed by option
/// name without dashes. Values are strings, numbers, booleans, or arrays of them for a repeatable option; null is unset.
/// Every unknown key is refused by name, so a typo cannot silently leave a default in place.
/// </summary>
internal static class ConfigFile
{
    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads <paramref name="path"/> and returns the settings of <paramref name="section"/> for <paramref name="options"/>.</summary>
    /// <exception cref="CliException">The file is missing, not JSON, or holds an unknown key or a value of the wrong shape.</exception>
    public static IReadOnlyList<ConfigSetting> Read(string path, string section, IReadOnlyList<Option> options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), Reading);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"config file '{path}' not found");
        }
        catch (JsonException e)
        {
            throw new CliException($"config file '{path}' is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"config file '{path}' must hold a JSON object with a \"{section}\" section");
            }

            var settings = new List<ConfigSetting>();
            foreach (var top in document.RootElement.EnumerateObject())
            {
                if (top.Name != section)
                {
                    throw new CliException($"unknown key '{top.Name}' in config file '{path}' (the only section is \"{section}\")");
                }

                if (top.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new CliException($"\"{section}\" in config file '{path}' must be an object keyed by option name");
                }

                var byKey = options.ToDictionary(ConfigurationLayer.FileKey, StringComparer.Ordinal);
                foreach (var entry in top.Value.EnumerateObject())
                {
                    if (!byKey.TryGetValue(entry.Name, out var option))
                    {
                        var nearest = Suggestions.Nearest(entry.Name, byKey.Keys);
                        throw new CliException($"unknown key '{entry.Name}' in the \"{section}\" section of config file '{path}'"
                            + (nearest is null ? "" : $" (did you mean '{nearest}'?)"));
                    }

                    var source = $"\"{entry.Name}\" in config file '{path}'";
                    if (Values(entry.Value, option, source) is { } values)
                    {
                        settings.Add(new ConfigSetting(option, values, source));
                    }
                }
            }

            return settings;
        }
    }

    private static string[]? Values(JsonElement value, Option option, string source)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array when ConfigurationLayer.IsList(option):
                return [.. value.EnumerateArray().Select(item => Scalar(item) ?? throw new CliException($"{source}: a list holds strings or numbers"))];
            case JsonValueKind.Array:
                throw new CliException($"{source}: {option.Name} takes one value, not a list");
            default:
                return Scalar(value) is { } scalar ? [scalar] : throw new CliException($"{source}: expected a string, number or boolean");
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
