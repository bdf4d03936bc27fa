using Keywarden.Application;
using Keywarden.Core.Providers;

namespace Keywarden.AdminApi.Documents;

/// <summary>Upstreams as <c>upstream … --json</c> prints them and the admin API answers.</summary>
public static class UpstreamDocuments
{
    /// <summary>One upstream, its key shown only as its first characters and its name in Mailchimp; its kind as <paramref name="apis"/> names it.</summary>
    public static object Upstream(UpstreamView view, UpstreamApiCatalog apis)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(apis);
        return new
        {
            name = view.Upstream.Name,
            id = view.Upstream.Id,
            kind = apis.Get(view.Upstream.Kind).Name,
            datacenter = view.Upstream.Datacenter,
            key_prefix = view.CurrentKey?.Prefix,
            key_name = view.CurrentKey?.Label,
            account_id = view.Upstream.AccountId,
            base_url = view.Upstream.BaseUrl?.ToString(),
            created_at = view.Upstream.CreatedAt,
            verified_at = view.CurrentKey?.VerifiedAt,
            max_key_age_days = view.Upstream.MaxKeyAge.TotalDays,
            active_tokens = view.ActiveTokens,
        };
    }

    /// <summary>What the upstream answered about the stored key (<c>upstream verify --json</c>).</summary>
    public static object Verified(UpstreamView view, KeyVerification verification)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(verification);
        return new
        {
            upstream = view.Upstream.Name,
            key_prefix = view.CurrentKey?.Prefix,
            key_name = view.CurrentKey?.Label,
            status = verification.Status,
            account_id = verification.AccountId,
            detail = verification.Detail,
        };
    }

    /// <summary>A new maximum key age (<c>upstream max-age --json</c>).</summary>
    public static object MaxAge(string upstream, TimeSpan maxAge) => new { upstream, max_key_age_days = maxAge.TotalDays };

    /// <summary>A removal, with how many tokens it revoked.</summary>
    public static object Removed(string upstream, int tokensRevoked) => new { upstream, removed = true, tokens_revoked = tokensRevoked };
}
