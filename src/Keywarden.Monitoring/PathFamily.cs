using System.Collections.Frozen;

namespace Keywarden.Monitoring;

/// <summary>
/// A canonical path with its ids replaced by <c>{id}</c>, so that every request of one kind shares one family:
/// <c>/3.0/lists/abc123/members/5f3e…</c> → <c>/3.0/lists/{id}/members/{id}</c>. Transactional paths are call names
/// already (<c>messages/send</c>) and stay as they are.
/// </summary>
/// <remarks>
/// The rule, by position: Marketing paths alternate a collection name and an id (<c>/lists/{id}/members/{id}/notes</c>).
/// A segment where a name is expected stays when it is shaped like one (lower-case letters, <c>-</c> and <c>_</c>) and
/// becomes <c>{id}</c> otherwise; after a few names another name follows instead of an id (<c>ecommerce/stores</c>,
/// <c>file-manager/files</c>, <c>reporting/facebook-ads</c>, <c>activity-feed/chimp-chatter</c>,
/// <c>customer-journeys/journeys</c>, <c>actions/send</c>, and <c>3.0</c> itself). A segment where an id is expected stays
/// only when it is one of Mailchimp Marketing's own names (<c>/lists/{id}/members</c> after an id, a leaf such as
/// <c>/campaigns/{id}/content</c>); anything else there is an id: hex and md5 hashes, numbers, dates
/// (<c>growth-history/2024-01</c>), domains, and user-chosen ids such as an e-commerce store's <c>my_store</c>. A family
/// is at most <see cref="MaxLength"/> characters (longer ones end in <c>…</c>).
/// </remarks>
public static class PathFamily
{
    /// <summary>The longest family written; longer paths are cut and end in <c>…</c>.</summary>
    public const int MaxLength = 200;

    private const string Id = "{id}";

    /// <summary>Mailchimp Marketing's collection, sub-resource and action names: kept where an id could stand.</summary>
    private static readonly FrozenSet<string> KnownNames = FrozenSet.Create(
        StringComparer.Ordinal,
        "abuse-reports", "account-exports", "actions", "activity", "activity-feed", "advice", "answers", "audiences",
        "authorized-apps", "automations", "batch-webhooks", "batches", "campaign-folders", "campaigns", "carts",
        "chimp-chatter", "click-details", "clients", "connected-sites", "contacts", "content", "conversations",
        "customer-journeys", "customers", "default-content", "domain-performance", "ecommerce",
        "ecommerce-product-activity", "eepurl", "email-activity", "emails", "events", "facebook-ads", "feedback",
        "file-manager", "files", "folders", "goals", "growth-history", "images", "interest-categories", "interests",
        "journeys", "landing-pages", "lines", "lists", "locations", "members", "merge-fields", "messages", "notes",
        "open-details", "orders", "ping", "products", "promo-codes", "promo-rules", "questions", "queue",
        "removed-subscribers", "reporting", "reports", "responses", "search-campaigns", "search-members", "segments",
        "send-checklist", "sent-to", "signup-forms", "steps", "stores", "sub-reports", "surveys", "tags",
        "template-folders", "templates", "unsubscribed", "variants", "verified-domains", "webhooks");

    /// <summary>Names followed by another name rather than an id.</summary>
    private static readonly FrozenSet<string> NameThenName = FrozenSet.Create(
        StringComparer.Ordinal, "3.0", "ecommerce", "file-manager", "reporting", "activity-feed", "customer-journeys", "actions");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownLookup = KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NameThenNameLookup = NameThenName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The family of a canonical path (Marketing, starting with <c>/</c>), or the path itself (a Transactional call's name).</summary>
    public static string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<char> buffer = stackalloc char[MaxLength + 1];
        var written = Write(path, buffer);
        var family = buffer[..written];
        return family.SequenceEqual(path) ? path : new string(family);
    }

    /// <summary>
    /// True for a call that destroys data: DELETE, a Marketing <c>actions/delete…</c> (<c>delete-permanent</c>), a
    /// Transactional call whose name deletes, cancels or removes (<c>templates/delete</c>, <c>messages/cancel-scheduled</c>).
    /// </summary>
    public static bool IsDestructive(string method, ReadOnlySpan<char> family)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Equals("DELETE", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var last = family[(family.LastIndexOf('/') + 1)..];
        return last.Contains("delete", StringComparison.Ordinal) || last.Contains("cancel", StringComparison.Ordinal)
            || last.Contains("remove", StringComparison.Ordinal) || last.Contains("purge", StringComparison.Ordinal);
    }

    /// <summary>Writes the family of <paramref name="path"/> to <paramref name="destination"/> (at least <see cref="MaxLength"/> + 1 long); returns its length.</summary>
    internal static int Write(ReadOnlySpan<char> path, Span<char> destination)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return Copy(path, destination); // a Transactional call's name
        }

        var written = 0;
        var expectName = true;
        var rest = path[1..];
        if (rest.Length == 0)
        {
            destination[0] = '/';
            return 1;
        }

        while (true)
        {
            var end = rest.IndexOf('/');
            var segment = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            ReadOnlySpan<char> output;
            if (expectName ? IsNameShaped(segment) || segment.SequenceEqual("3.0") : KnownLookup.Contains(segment))
            {
                output = segment;
                expectName = NameThenNameLookup.Contains(segment);
            }
            else
            {
                output = Id;
                expectName = true;
            }

            if (written + 1 + output.Length > MaxLength)
            {
                destination[written++] = '…';
                return written;
            }

            destination[written++] = '/';
            output.CopyTo(destination[written..]);
            written += output.Length;
            if (end < 0)
            {
                return written;
            }
        }
    }

    private static int Copy(ReadOnlySpan<char> path, Span<char> destination)
    {
        if (path.Length <= MaxLength)
        {
            path.CopyTo(destination);
            return path.Length;
        }

        path[..(MaxLength - 1)].CopyTo(destination);
        destination[MaxLength - 1] = '…';
        return MaxLength;
    }

    /// <summary>Lower-case letters, <c>-</c> and <c>_</c>, 1 to 40 of them, starting with a letter: how Mailchimp names things, and no id looks.</summary>
    private static bool IsNameShaped(ReadOnlySpan<char> segment)
    {
        if (segment.Length is 0 or > 40 || !char.IsAsciiLetterLower(segment[0]))
        {
            return false;
        }

        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterLower(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }
}
