using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;

namespace Keywarden.Sandbox.Marketing;

/// <summary>/3.0/lists/{list_id}/members and /members/{subscriber_hash}. Runs under the account's lock.</summary>
internal static class MembersResource
{
    private const string InvalidEmailDetail = "Please provide a valid email address.";
    private static readonly string[] Statuses = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"];
    private static readonly string[] FilterStatuses = [.. Statuses, "archived"];
    private static readonly string[] EmailTypes = ["html", "text"];

    // Fields kept as given (email_address and status are first-class; tags are kept as names).
    private static readonly string[] StoredFields =
    [
        "email_type", "merge_fields", "interests", "language", "vip", "location", "marketing_permissions",
        "ip_signup", "timestamp_signup", "ip_opt", "timestamp_opt",
    ];

    public static MarketingResult GetAll(MarketingRequest request)
    {
        if (!ListsResource.Find(request, out var list))
        {
            return Problems.NotFound();
        }

        if (!Pagination.TryParse(request.Query, out var page, out var error))
        {
            return error!;
        }

        IEnumerable<ListMember> members = list!.Members.Values;
        if (request.Query.TryGetValue("status", out var status) && status.Length > 0)
        {
            if (!FilterStatuses.Contains(status))
            {
                return Problems.InvalidResource("status", "Data presented is not one of the accepted values: " + string.Join(", ", FilterStatuses) + ".");
            }

            members = members.Where(m => m.Status == status);
        }
        else
        {
            members = members.Where(m => m.Status != "archived");
        }

        var matching = members.ToList();
        return MarketingResult.Ok(new JsonObject
        {
            ["members"] = new JsonArray([.. page.Apply(matching).Select(m => (JsonNode)MemberJson.ToJson(request, list, m))]),
            ["list_id"] = list.Id,
            ["total_items"] = matching.Count,
            ["_links"] = Links.For(request, $"/lists/{list.Id}/members", "Lists/Members/Collection", $"/lists/{list.Id}"),
        });
    }

    public static MarketingResult Create(MarketingRequest request)
    {
        if (!ListsResource.Find(request, out var list))
        {
            return Problems.NotFound();
        }

        if (!request.TryReadObject(out var body, out var error))
        {
            return error!;
        }

        var validator = new Validator();
        validator.Required(body, "", "email_address", "status");
        Check(body, validator, statusField: "status");
        if (!validator.IsValid)
        {
            return validator.ToProblem();
        }

        var email = body.GetString("email_address")!.Trim();
        if (!Emails.IsValid(email))
        {
            return Problems.InvalidResource("email_address", InvalidEmailDetail, InvalidEmailDetail);
        }

        var hash = SubscriberHash.Of(email);
        if (list!.ForgottenHashes.Contains(hash))
        {
            return Problems.ForgottenEmail(email);
        }

        if (list.Members.TryGetValue(hash, out var existing))
        {
            if (existing.Status != "archived")
            {
                return Problems.MemberExists(email);
            }

            // Adding an archived contact again brings it back.
            existing.Status = body.GetString("status")!;
            Apply(existing, body, request.Now);
            return MarketingResult.Ok(MemberJson.ToJson(request, list, existing));
        }

        var member = NewMember(request, email, body.GetString("status")!);
        Apply(member, body, request.Now);
        list.Members.Add(member.Id, member);
        return MarketingResult.Ok(MemberJson.ToJson(request, list, member));
    }

    public static MarketingResult Get(MarketingRequest request) =>
        FindMember(request, out var list, out var member)
            ? MarketingResult.Ok(MemberJson.ToJson(request, list!, member!))
            : Problems.NotFound();

    /// <summary>PUT: add or update. status_if_new (or status) is required to add.</summary>
    public static MarketingResult Upsert(MarketingRequest request)
    {
        if (!ListsResource.Find(request, out var list))
        {
            return Problems.NotFound();
        }

        var hash = SubscriberHash.FromPathSegment(request.Route("subscriber_hash"));
        if (hash is null)
        {
            return Problems.NotFound();
        }

        if (!request.TryReadObject(out var body, out var error))
        {
            return error!;
        }

        var validator = new Validator();
        validator.Required(body, "", "email_address");
        Check(body, validator, statusField: "status");
        validator.OneOf(body, "status_if_new", Statuses);
        if (!validator.IsValid)
        {
            return validator.ToProblem();
        }

        var email = body.GetString("email_address")!.Trim();
        if (!Emails.IsValid(email))
        {
            return Problems.InvalidResource("email_address", InvalidEmailDetail, InvalidEmailDetail);
        }

        if (SubscriberHash.Of(email) != hash)
        {
            return Problems.InvalidResource("email_address", "The email address does not match the subscriber hash in the path.");
        }

        if (list!.Members.TryGetValue(hash, out var member))
        {
            if (body.GetString("status") is { } newStatus)
            {
                member.Status = newStatus;
            }
            else if (member.Status == "archived" && body.GetString("status_if_new") is { } revived)
            {
                member.Status = revived;
            }

            Apply(member, body, request.Now);
            return MarketingResult.Ok(MemberJson.ToJson(request, list, member));
        }

        if (list.ForgottenHashes.Contains(hash))
        {
            return Problems.ForgottenEmail(email);
        }

        var status = body.GetString("status_if_new") ?? body.GetString("status");
        if (status is null)
        {
            return Problems.InvalidResource("status_if_new", "This value should not be blank.");
        }

        member = NewMember(request, email, status);
        Apply(member, body, request.Now);
        list.Members.Add(member.Id, member);
        return MarketingResult.Ok(MemberJson.ToJson(request, list, member));
    }

    /// <summary>PATCH: update an existing member; a new email_address moves it to the new hash.</summary>
    public static MarketingResult Update(MarketingRequest request)
    {
        if (!FindMember(request, out var list, out var member))
        {
            return Problems.NotFound();
        }

        if (!request.TryReadObject(out var body, out var error))
        {
            return error!;
        }

        var validator = new Validator();
        Check(body, validator, statusField: "status");
        if (!validator.IsValid)
        {
            return validator.ToProblem();
        }

        if (body.GetString("email_address") is { } email && SubscriberHash.Of(email) != member!.Id)
        {
            email = email.Trim();
            if (!Emails.IsValid(email))
            {
                return Problems.InvalidResource("email_address", InvalidEmailDetail, InvalidEmailDetail);
            }

            var newHash = SubscriberHash.Of(email);
            if (list!.Members.ContainsKey(newHash))
            {
                return Problems.MemberExists(email);
            }

            list.Members.Remove(member.Id);
            member.EmailAddress = email;
            list.Members.Add(newHash, member);
        }

        if (body.GetString("status") is { } status)
        {
            member!.Status = status;
        }

        Apply(member!, body, request.Now);
        return MarketingResult.Ok(MemberJson.ToJson(request, list!, member!));
    }

    /// <summary>DELETE archives the member, as Mailchimp does; it can be added back.</summary>
    public static MarketingResult Archive(MarketingRequest request)
    {
        if (!FindMember(request, out _, out var member) || member!.Status == "archived")
        {
            return Problems.NotFound();
        }

        member.Status = "archived";
        member.LastChanged = request.Now;
        return MarketingResult.NoContent();
    }

    /// <summary>Removes the member for good; Mailchimp then refuses to import the address again.</summary>
    public static MarketingResult DeletePermanent(MarketingRequest request)
    {
        if (!FindMember(request, out var list, out var member))
        {
            return Problems.NotFound();
        }

        list!.Members.Remove(member!.Id);
        list.ForgottenHashes.Add(member.Id);
        return MarketingResult.NoContent();
    }

    private static bool FindMember(MarketingRequest request, out AudienceList? list, out ListMember? member)
    {
        member = null;
        if (!ListsResource.Find(request, out list))
        {
            return false;
        }

        var hash = SubscriberHash.FromPathSegment(request.Route("subscriber_hash"));
        return hash is not null && list!.Members.TryGetValue(hash, out member);
    }

    private static ListMember NewMember(MarketingRequest request, string email, string status) =>
        new(email, Ids.Hex(10), Ids.WebId(), Ids.Hex(32), request.Now) { Status = status };

    private static void Check(JsonObject body, Validator validator, string statusField)
    {
        validator.Kind(body, "email_address", "string");
        validator.OneOf(body, statusField, Statuses);
        validator.OneOf(body, "email_type", EmailTypes);
        foreach (var field in new[] { "merge_fields", "interests", "location" })
        {
            validator.Kind(body, field, "object");
        }

        foreach (var field in new[] { "language", "ip_signup", "timestamp_signup", "ip_opt", "timestamp_opt" })
        {
            validator.Kind(body, field, "string");
        }

        validator.Kind(body, "vip", "boolean");
        validator.Kind(body, "marketing_permissions", "array");
        if (validator.Kind(body, "tags", "array") && body["tags"] is JsonArray tags
            && tags.Any(t => JsonBody.KindOf(t) != "string"))
        {
            validator.Add("tags", "Schema describes string, object found instead");
        }
    }

    private static void Apply(ListMember member, JsonObject body, DateTimeOffset now)
    {
        foreach (var field in StoredFields)
        {
            if (!body.ContainsKey(field))
            {
                continue;
            }

            if (body[field] is JsonObject incoming && member.Fields[field] is JsonObject existing)
            {
                foreach (var (name, value) in incoming)
                {
                    existing[name] = value?.DeepClone();
                }
            }
            else
            {
                member.Fields[field] = body[field]?.DeepClone();
            }
        }

        if (body["tags"] is JsonArray tags)
        {
            foreach (var tag in tags.Select(t => t!.GetValue<string>()).Where(t => !member.Tags.Contains(t)))
            {
                member.Tags.Add(tag);
            }
        }

        member.LastChanged = now;
    }
}
