using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Transactional;

/// <summary>PHP's serialize() format, which Mandrill answers for the .php suffix.</summary>
internal static class PhpSerializer
{
    public static string Serialize(JsonNode? node)
    {
        var output = new StringBuilder();
        Write(node, output);
        return output.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case null:
                output.Append("N;");
                break;
            case JsonObject obj:
                output.Append(CultureInfo.InvariantCulture, $"a:{obj.Count}:{{");
                foreach (var (name, value) in obj)
                {
                    WriteString(name, output);
                    Write(value, output);
                }

                output.Append('}');
                break;
            case JsonArray array:
                output.Append(CultureInfo.InvariantCulture, $"a:{array.Count}:{{");
                for (var i = 0; i < array.Count; i++)
                {
                    output.Append(CultureInfo.InvariantCulture, $"i:{i};");
                    Write(array[i], output);
                }

                output.Append('}');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(value.GetValue<string>(), output);
                        break;
                    case JsonValueKind.True:
                        output.Append("b:1;");
                        break;
                    case JsonValueKind.False:
                        output.Append("b:0;");
                        break;
                    case JsonValueKind.Number when value.TryGetValue<long>(out var integer):
                        output.Append(CultureInfo.InvariantCulture, $"i:{integer};");
                        break;
                    case JsonValueKind.Number:
                        output.Append(CultureInfo.InvariantCulture, $"d:{value.ToJsonString()};");
                        break;
                    default:
                        output.Append("N;");
                        break;
                }

                break;
        }
    }

    private static void WriteString(string value, StringBuilder output) =>
        output.Append(CultureInfo.InvariantCulture, $"s:{Encoding.UTF8.GetByteCount(value)}:\"{value}\";");
}
