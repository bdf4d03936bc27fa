using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>A list member as Mailchimp shows it.</summary>
internal static class MemberJson
{
    /// <summary>The merge fields every new Mailchimp list has.</summary>
    public static readonly IReadOnlyList<string> DefaultMergeFields = ["FNAME", "LNAME", "ADDRESS", "PHONE", "BIRTHDAY"];

    public static JsonObject ToJson(MarketingRequest request, AudienceList list, ListMember member)
    {
        var fields = member.Fields;
        var mergeFields = new JsonObject();
        foreach (var name in DefaultMergeFields)
        {
            mergeFields[name] = "";
        }

        if (fields["merge_fields"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                mergeFields[name] = value?.DeepClone();
            }
        }

        var fullName = string.Join(' ', new[] { Text(mergeFields["FNAME"]), Text(mergeFields["LNAME"]) }.Where(s => s.Length > 0));
        var tags = new JsonArray();
        foreach (var tag in member.Tags)
        {
            tags.Add((JsonNode)new JsonObject { ["id"] = TagId(tag), ["name"] = tag });
        }

        return new JsonObject
        {
            ["id"] = member.Id,
            ["email_address"] = member.EmailAddress,
            ["unique_email_id"] = member.UniqueEmailId,
            ["contact_id"] = member.ContactId,
            ["full_name"] = fullName,
            ["web_id"] = member.WebId,
            ["email_type"] = fields["email_type"]?.DeepClone() ?? "html",
            ["status"] = member.Status,
            ["consents_to_one_to_one_messaging"] = true,
            ["merge_fields"] = mergeFields,
            ["interests"] = fields["interests"]?.DeepClone() ?? new JsonObject(),
            ["stats"] = new JsonObject { ["avg_open_rate"] = 0, ["avg_click_rate"] = 0 },
            ["ip_signup"] = fields["ip_signup"]?.DeepClone() ?? "",
            ["timestamp_signup"] = fields["timestamp_signup"]?.DeepClone() ?? "",
            ["ip_opt"] = fields["ip_opt"]?.DeepClone() ?? "",
            ["timestamp_opt"] = fields["timestamp_opt"]?.DeepClone() ?? Timestamps.Format(member.TimestampOpt),
            ["member_rating"] = 2,
            ["last_changed"] = Timestamps.Format(member.LastChanged),
            ["language"] = fields["language"]?.DeepClone() ?? "",
            ["vip"] = fields["vip"]?.DeepClone() ?? false,
            ["email_client"] = "",
            ["location"] = Location(fields["location"] as JsonObject),
            ["marketing_permissions"] = fields["marketing_permissions"]?.DeepClone() ?? new JsonArray(),
            ["source"] = "API - Generic",
            ["tags_count"] = member.Tags.Count,
            ["tags"] = tags,
            ["list_id"] = list.Id,
            ["_links"] = Links.For(request, $"/lists/{list.Id}/members/{member.Id}", "Lists/Members/Instance", $"/lists/{list.Id}/members"),
        };
    }

    private static JsonObject Location(JsonObject? given)
    {
        var location = new JsonObject
        {
            ["latitude"] = 0,
            ["longitude"] = 0,
            ["gmtoff"] = 0,
            ["dstoff"] = 0,
            ["country_code"] = "",
            ["timezone"] = "",
            ["region"] = "",
        };
        if (given is not null)
        {
            foreach (var (name, value) in given)
            {
                location[name] = value?.DeepClone();
            }
        }

        return location;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>A stable id per tag name (FNV-1a), as Mailchimp gives each tag one id across the list.</summary>
    private static int TagId(string tag)
    {
        var hash = 2166136261u;
        foreach (var c in tag)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash & 0x7fffffff);
    }
}
