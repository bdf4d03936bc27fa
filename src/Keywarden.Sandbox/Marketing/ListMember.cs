using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>A member of a list. Guarded by its account's lock.</summary>
internal sealed class ListMember
{
    public ListMember(string emailAddress, string uniqueEmailId, int webId, string contactId, DateTimeOffset timestampOpt)
    {
        EmailAddress = emailAddress;
        UniqueEmailId = uniqueEmailId;
        WebId = webId;
        ContactId = contactId;
        TimestampOpt = timestampOpt;
        LastChanged = timestampOpt;
    }

    public string Id => SubscriberHash.Of(EmailAddress);

    public string EmailAddress { get; set; }

    public string Status { get; set; } = "subscribed";

    public string UniqueEmailId { get; }

    public int WebId { get; }

    public string ContactId { get; }

    public DateTimeOffset TimestampOpt { get; }

    public DateTimeOffset LastChanged { get; set; }

    /// <summary>Settable fields other than email and status: email_type, merge_fields, interests, language, vip, location…</summary>
    public JsonObject Fields { get; } = [];

    public List<string> Tags { get; } = [];
}
