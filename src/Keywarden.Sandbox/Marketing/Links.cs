using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>The _links array Mailchimp puts on every resource (only self and parent here).</summary>
internal static class Links
{
    public static JsonArray For(MarketingRequest request, string path, string schema, string? parentPath = null)
    {
        var links = new JsonArray
        {
            (JsonNode)Link(request, "self", path, schema),
        };
        if (parentPath is not null)
        {
            links.Add((JsonNode)Link(request, "parent", parentPath, schema + "Collection"));
        }

        return links;
    }

    private static JsonObject Link(MarketingRequest request, string rel, string path, string schema) => new()
    {
        ["rel"] = rel,
        ["href"] = request.Link(path),
        ["method"] = "GET",
        ["targetSchema"] = $"https://{request.Account.Account.Datacenter}.api.mailchimp.com/schema/3.0/{schema}.json",
    };
}
