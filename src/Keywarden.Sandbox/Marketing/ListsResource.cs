using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;

namespace Keywarden.Sandbox.Marketing;

/// <summary>/3.0/lists and /3.0/lists/{list_id}. Runs under the account's lock.</summary>
internal static class ListsResource
{
    private static readonly string[] Visibilities = ["pub", "prv"];

    public static MarketingResult GetAll(MarketingRequest request)
    {
        if (!Pagination.TryParse(request.Query, out var page, out var error))
        {
            return error!;
        }

        var lists = request.Account.Lists.Values;
        var items = new JsonArray([.. page.Apply(lists).Select(l => (JsonNode)ToJson(request, l))]);
        return MarketingResult.Ok(new JsonObject
        {
            ["lists"] = items,
            ["total_items"] = lists.Count,
            ["constraints"] = new JsonObject
            {
                ["may_create"] = true,
                ["max_instances"] = 100,
                ["current_total_instances"] = lists.Count,
            },
            ["_links"] = Links.For(request, "/lists", "Lists/Collection"),
        });
    }

    public static MarketingResult Create(MarketingRequest request)
    {
        if (!request.TryReadObject(out var body, out var error))
        {
            return error!;
        }

        var validator = new Validator();
        validator.Required(body, "", "name", "contact", "permission_reminder", "campaign_defaults", "email_type_option");
        CheckKinds(body, validator);
        if (body["contact"] is JsonObject contact)
        {
            validator.Required(contact, "contact", "company", "address1", "city", "country");
        }

        if (body["campaign_defaults"] is JsonObject defaults)
        {
            validator.Required(defaults, "campaign_defaults", "from_name", "from_email", "subject", "language");
        }

        if (!validator.IsValid)
        {
            return validator.ToProblem();
        }

        var settings = new JsonObject
        {
            ["use_archive_bar"] = false,
            ["notify_on_subscribe"] = "",
            ["notify_on_unsubscribe"] = "",
            ["double_optin"] = false,
            ["marketing_permissions"] = false,
            ["visibility"] = "pub",
        };
        Merge(settings, body);
        var list = new AudienceList(Ids.Hex(10), Ids.WebId(), request.Now, settings);
        request.Account.Lists.Add(list.Id, list);
        return MarketingResult.Ok(ToJson(request, list));
    }

    public static MarketingResult Get(MarketingRequest request) =>
        Find(request, out var list) ? MarketingResult.Ok(ToJson(request, list!)) : Problems.NotFound();

    public static MarketingResult Update(MarketingRequest request)
    {
        if (!Find(request, out var list))
        {
            return Problems.NotFound();
        }

        if (!request.TryReadObject(out var body, out var error))
        {
            return error!;
        }

        var validator = new Validator();
        CheckKinds(body, validator);
        if (!validator.IsValid)
        {
            return validator.ToProblem();
        }

        Merge(list!.Settings, body);
        return MarketingResult.Ok(ToJson(request, list));
    }

    public static MarketingResult Delete(MarketingRequest request) =>
        request.Account.Lists.Remove(request.Route("list_id")) ? MarketingResult.NoContent() : Problems.NotFound();

    internal static bool Find(MarketingRequest request, out AudienceList? list) =>
        request.Account.Lists.TryGetValue(request.Route("list_id"), out list);

    private static void CheckKinds(JsonObject body, Validator validator)
    {
        foreach (var field in new[] { "name", "permission_reminder", "notify_on_subscribe", "notify_on_unsubscribe" })
        {
            validator.Kind(body, field, "string");
        }

        foreach (var field in new[] { "use_archive_bar", "email_type_option", "double_optin", "marketing_permissions" })
        {
            validator.Kind(body, field, "boolean");
        }

        validator.Kind(body, "contact", "object");
        validator.Kind(body, "campaign_defaults", "object");
        validator.OneOf(body, "visibility", Visibilities);
        if (body["campaign_defaults"] is JsonObject defaults && defaults.GetString("from_email") is { } from && !Emails.IsValid(from))
        {
            validator.Add("campaign_defaults.from_email", "This value is not a valid email address.");
        }
    }

    /// <summary>Sets the settable fields given; contact and campaign_defaults are merged field by field.</summary>
    private static void Merge(JsonObject settings, JsonObject body)
    {
        string[] settable =
        [
            "name", "contact", "permission_reminder", "use_archive_bar", "campaign_defaults", "notify_on_subscribe",
            "notify_on_unsubscribe", "email_type_option", "double_optin", "marketing_permissions", "visibility",
        ];
        foreach (var field in settable)
        {
            if (!body.ContainsKey(field))
            {
                continue;
            }

            if (body[field] is JsonObject incoming && settings[field] is JsonObject existing)
            {
                foreach (var (name, value) in incoming)
                {
                    existing[name] = value?.DeepClone();
                }
            }
            else
            {
                settings[field] = body[field]?.DeepClone();
            }
        }
    }

    private static JsonObject ToJson(MarketingRequest request, AudienceList list)
    {
        var members = list.Members.Values;
        var settings = list.Settings;
        var json = new JsonObject
        {
            ["id"] = list.Id,
            ["web_id"] = list.WebId,
            ["name"] = settings["name"]?.DeepClone(),
            ["contact"] = settings["contact"]?.DeepClone(),
            ["permission_reminder"] = settings["permission_reminder"]?.DeepClone(),
            ["use_archive_bar"] = settings["use_archive_bar"]?.DeepClone(),
            ["campaign_defaults"] = settings["campaign_defaults"]?.DeepClone(),
            ["notify_on_subscribe"] = settings["notify_on_subscribe"]?.DeepClone(),
            ["notify_on_unsubscribe"] = settings["notify_on_unsubscribe"]?.DeepClone(),
            ["date_created"] = Timestamps.Format(list.DateCreated),
            ["list_rating"] = 0,
            ["email_type_option"] = settings["email_type_option"]?.DeepClone(),
            ["subscribe_url_short"] = $"http://eepurl.com/{list.Id[..6]}",
            ["subscribe_url_long"] = $"https://sandbox.{request.Account.Account.Datacenter}.list-manage.com/subscribe?u={request.Account.Account.AccountId}&id={list.Id}",
            ["beamer_address"] = $"{request.Account.Account.Username}-{list.Id}@inbound.mailchimp.com",
            ["visibility"] = settings["visibility"]?.DeepClone(),
            ["double_optin"] = settings["double_optin"]?.DeepClone(),
            ["has_welcome"] = false,
            ["marketing_permissions"] = settings["marketing_permissions"]?.DeepClone(),
            ["modules"] = new JsonArray(),
            ["stats"] = new JsonObject
            {
                ["member_count"] = members.Count(m => m.Status == "subscribed"),
                ["total_contacts"] = members.Count(m => m.Status != "archived"),
                ["unsubscribe_count"] = members.Count(m => m.Status == "unsubscribed"),
                ["cleaned_count"] = members.Count(m => m.Status == "cleaned"),
                ["member_count_since_send"] = members.Count(m => m.Status == "subscribed"),
                ["unsubscribe_count_since_send"] = 0,
                ["cleaned_count_since_send"] = 0,
                ["campaign_count"] = 0,
                ["campaign_last_sent"] = "",
                ["merge_field_count"] = MemberJson.DefaultMergeFields.Count,
                ["avg_sub_rate"] = 0,
                ["avg_unsub_rate"] = 0,
                ["target_sub_rate"] = 0,
                ["open_rate"] = 0,
                ["click_rate"] = 0,
                ["last_sub_date"] = members.Count == 0 ? "" : Timestamps.Format(members.Max(m => m.TimestampOpt)),
                ["last_unsub_date"] = "",
            },
            ["_links"] = Links.For(request, $"/lists/{list.Id}", "Lists/Instance", "/lists"),
        };
        return json;
    }
}
