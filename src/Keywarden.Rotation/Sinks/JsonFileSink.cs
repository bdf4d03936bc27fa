using System.Text;
using System.Text.Json;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// Replaces a string property of a JSON file, found by its dotted path through objects. The JSON
/// reader locates the value's bytes; only those bytes are replaced, so indentation, key order and
/// everything else stay as they were. Comments and trailing commas are tolerated.
/// </summary>
internal sealed class JsonFileSink(KeySinkSpec spec) : FileSink(spec)
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    protected override string Rewrite(string text, string key, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var target = Spec.TargetPath;
        var reader = new Utf8JsonReader(bytes, Options);

        // One frame per open container: the name of its current property, or null inside an array.
        var frames = new List<string?>();
        var found = new List<(long Start, long Length, JsonTokenType Type)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1] = reader.GetString();
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        if (IsAt(frames, target))
                        {
                            var length = reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length + 2 : 0;
                            found.Add((reader.TokenStartIndex, length, reader.TokenType));
                        }

                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            frames.Add(null);
                        }

                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // The reader's message (and so the exception) quotes a character of the file, which may be part of a key: not kept.
            throw new SinkException($"{file} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): refusing to rewrite it");
        }

        if (found.Count == 0)
        {
            throw new SinkException($"{file} has no property {Spec.Target}: add it once by hand; Keywarden replaces a value, it does not guess where one goes");
        }

        if (found.Count > 1)
        {
            throw new SinkException($"{file} has property {Spec.Target} {found.Count} times: refusing to guess which one the application reads");
        }

        var (start, byteLength, type) = found[0];
        if (type != JsonTokenType.String)
        {
            throw new SinkException($"{Spec.Target} in {file} is {Describe(type)}, not a string: refusing to replace it with a key");
        }

        var charStart = Encoding.UTF8.GetCharCount(bytes, 0, (int)start);
        var charLength = Encoding.UTF8.GetCharCount(bytes, (int)start, (int)byteLength);
        return TextLines.Splice(text, charStart, charLength, "\"" + key + "\"");
    }

    // The value being read sits at the target when every enclosing container is an object whose
    // current property is the next name of the path (a frame of an array never matches).
    private static bool IsAt(List<string?> frames, IReadOnlyList<string> target)
    {
        if (frames.Count != target.Count)
        {
            return false;
        }

        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i] != target[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}
