using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// Mailchimp's fields and exclude_fields: comma-separated dotted paths (members.email_address). A path through an
/// array applies to each element. Works in place on a freshly built response.
/// </summary>
internal static class FieldSelector
{
    public static void Apply(JsonNode body, string? fields, string? excludeFields)
    {
        if (!string.IsNullOrWhiteSpace(fields))
        {
            Keep(body, Parse(fields));
        }

        if (!string.IsNullOrWhiteSpace(excludeFields))
        {
            Remove(body, Parse(excludeFields));
        }
    }

    private static FieldPathTree Parse(string list)
    {
        var root = new FieldPathTree();
        foreach (var path in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var node = root;
            var parts = path.Split('.', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < parts.Length; i++)
            {
                if (!node.Children.TryGetValue(parts[i], out var child))
                {
                    child = new FieldPathTree();
                    node.Children[parts[i]] = child;
                }

                if (i == parts.Length - 1)
                {
                    // Naming a field whole wins over naming some of its sub-fields.
                    child.IsWhole = true;
                }

                node = child;
            }
        }

        return root;
    }

    private static void Keep(JsonNode? node, FieldPathTree tree)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (!tree.Children.TryGetValue(name, out var child))
                    {
                        obj.Remove(name);
                    }
                    else if (!child.IsWhole)
                    {
                        Keep(obj[name], child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Keep(item, tree);
                }

                break;
        }
    }

    private static void Remove(JsonNode? node, FieldPathTree tree)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in tree.Children)
                {
                    if (child.IsWhole)
                    {
                        obj.Remove(name);
                    }
                    else if (obj[name] is { } value)
                    {
                        Remove(value, child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Remove(item, tree);
                }

                break;
        }
    }
}
