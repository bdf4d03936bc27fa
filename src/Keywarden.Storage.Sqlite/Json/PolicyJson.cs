using System.Text.Json;
using Keywarden.Core.Policy;

namespace Keywarden.Storage.Sqlite.Json;

/// <summary>Converts a token policy to and from the JSON text kept in <c>tokens.policy</c>.</summary>
internal static class PolicyJson
{
    /// <param name="policy">The policy.</param>
    /// <param name="supersededBy">The token's successor, stored alongside (see <see cref="PolicyDocument.SupersededBy"/>).</param>
    public static string Serialize(TokenPolicy policy, string? supersededBy = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        foreach (var (what, texts) in new[]
        {
            ("paths", policy.Paths), ("methods", policy.Methods), ("cidrs", policy.Cidrs),
            ("origins", policy.Origins), ("from_domains", policy.FromDomains),
        })
        {
            foreach (var text in texts)
            {
                StoredText.EnsureValid(text, "an entry of the policy's " + what);
            }
        }

        var document = new PolicyDocument
        {
            ReadOnly = policy.ReadOnly,
            Paths = policy.Paths,
            Methods = policy.Methods,
            Cidrs = policy.Cidrs,
            Origins = policy.Origins,
            NotBefore = StoredTime.ToIso(policy.NotBefore),
            ExpiresAt = StoredTime.ToIso(policy.ExpiresAt),
            Rate = policy.Rate is { } rate
                ? new RateDocument { Requests = rate.Requests, WindowMs = StoredTime.ToMilliseconds(rate.Window) }
                : null,
            FromDomains = policy.FromDomains,
            MaxRecipients = policy.MaxRecipients,
            DailyQuota = policy.DailyQuota,
            SupersededBy = supersededBy,
        };
        return JsonSerializer.Serialize(document, StoreJsonContext.Default.PolicyDocument);
    }

    /// <exception cref="StorageException">The text is not a policy document (<see cref="StorageError.Incompatible"/>).</exception>
    public static TokenPolicy Deserialize(string json, string tokenId) => Deserialize(json, tokenId, out _);

    /// <summary>The policy, and the token's successor stored alongside it.</summary>
    /// <exception cref="StorageException">The text is not a policy document (<see cref="StorageError.Incompatible"/>).</exception>
    public static TokenPolicy Deserialize(string json, string tokenId, out string? supersededBy)
    {
        try
        {
            var document = JsonSerializer.Deserialize(json, StoreJsonContext.Default.PolicyDocument)
                ?? throw new JsonException("the policy is null");
            supersededBy = document.SupersededBy;
            return new TokenPolicy
            {
                ReadOnly = document.ReadOnly,
                Paths = document.Paths ?? [],
                Methods = document.Methods ?? [],
                Cidrs = document.Cidrs ?? [],
                Origins = document.Origins ?? [],
                NotBefore = StoredTime.ParseIso(document.NotBefore),
                ExpiresAt = StoredTime.ParseIso(document.ExpiresAt),
                Rate = document.Rate is { } rate
                    ? new RateLimit(rate.Requests, StoredTime.FromMilliseconds(rate.WindowMs))
                    : null,
                FromDomains = document.FromDomains ?? [],
                MaxRecipients = document.MaxRecipients,
                DailyQuota = document.DailyQuota,
            };
        }
        catch (Exception exception) when (exception is JsonException or FormatException or OverflowException)
        {
            throw new StorageException(
                StorageError.Incompatible,
                $"the policy of token '{tokenId}' cannot be read: it was written by a newer Keywarden or is damaged",
                exception);
        }
    }
}
