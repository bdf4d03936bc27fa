using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Transactional;

/// <summary>
/// Reads an application/x-www-form-urlencoded body the way PHP does: message[to][0][email]=… builds nested
/// objects, [] appends, consecutive integer keys make an array, and a repeated name keeps its last value.
/// </summary>
internal static class FormBody
{
    public static JsonObject Parse(string text)
    {
        var root = new JsonObject();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            var path = Path(name);
            if (path.Count == 0)
            {
                continue;
            }

            var node = root;
            for (var i = 0; i < path.Count - 1; i++)
            {
                var segment = path[i].Length == 0 ? node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : path[i];
                if (node[segment] is not JsonObject child)
                {
                    child = [];
                    node[segment] = child;
                }

                node = child;
            }

            var last = path[^1].Length == 0 ? node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : path[^1];
            node[last] = value;
        }

        return (JsonObject)Arrays(root)!;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>"a[b][0]" → a, b, 0; "a[]" → a, "".</summary>
    private static List<string> Path(string name)
    {
        var open = name.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || !name.EndsWith(']'))
        {
            return name.Length == 0 ? [] : [name];
        }

        var path = new List<string> { name[..open] };
        path.AddRange(name[(open + 1)..^1].Split("]["));
        return path;
    }

    private static JsonNode? Arrays(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return node;
        }

        var names = obj.Select(p => p.Key).ToList();
        foreach (var name in names)
        {
            var converted = Arrays(obj[name]);
            if (!ReferenceEquals(converted, obj[name]))
            {
                obj[name] = converted;
            }
        }

        var isList = names.Count > 0 && names.Select((n, i) => n == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(b => b);
        if (!isList)
        {
            return obj;
        }

        var array = new JsonArray();
        foreach (var name in names)
        {
            var item = obj[name];
            obj.Remove(name);
            array.Add(item);
        }

        return array;
    }
}
