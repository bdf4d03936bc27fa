using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>A list (audience). Guarded by its account's lock.</summary>
internal sealed class AudienceList
{
    public AudienceList(string id, int webId, DateTimeOffset dateCreated, JsonObject settings)
    {
        Id = id;
        WebId = webId;
        DateCreated = dateCreated;
        Settings = settings;
    }

    public string Id { get; }

    public int WebId { get; }

    public DateTimeOffset DateCreated { get; }

    /// <summary>What a client may set: name, contact, permission_reminder, campaign_defaults, and the flags.</summary>
    public JsonObject Settings { get; }

    /// <summary>Members by subscriber hash, in the order they were added.</summary>
    public OrderedDictionary<string, ListMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Hashes of members deleted permanently: Mailchimp refuses to re-import them.</summary>
    public HashSet<string> ForgottenHashes { get; } = new(StringComparer.Ordinal);
}
