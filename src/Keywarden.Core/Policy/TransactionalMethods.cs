using System.Collections.Frozen;

namespace Keywarden.Core.Policy;

/// <summary>What a read-only token may call on Mailchimp Transactional (Mandrill).</summary>
public static class TransactionalMethods
{
    // Calls that only read account data or compute a result, per the Mandrill API reference. Everything else,
    // including calls that start jobs (exports/activity), run checks that record state (senders/check-domain) or
    // any method added later, is a write: unknown means not read-only.
    private static readonly FrozenSet<string> ReadOnlyMethods = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "users/ping", "users/ping2", "users/info", "users/senders",
        "messages/info", "messages/content", "messages/search", "messages/search-time-series", "messages/list-scheduled",
        "messages/parse",
        "templates/list", "templates/info", "templates/time-series", "templates/render",
        "tags/list", "tags/info", "tags/time-series", "tags/all-time-series",
        "senders/list", "senders/domains", "senders/info", "senders/time-series",
        "rejects/list", "allowlists/list", "whitelists/list",
        "urls/list", "urls/search", "urls/time-series", "urls/tracking-domains",
        "webhooks/list", "webhooks/info",
        "subaccounts/list", "subaccounts/info",
        "inbound/domains", "inbound/routes",
        "exports/info", "exports/list",
        "ips/list", "ips/info", "ips/list-pools", "ips/pool-info",
        "metadata/list");

    /// <summary>True when <paramref name="method"/> (<c>group/method</c>, e.g. <c>users/info</c>) only reads.</summary>
    public static bool IsReadOnly(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return ReadOnlyMethods.Contains(method);
    }
}
