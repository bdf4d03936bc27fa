using System.Text.Json;
using Keywarden.Core.Policy;

namespace Keywarden.Storage.Sqlite.Json;

/// <summary>Converts a token policy to and from the JSON text kept in <c>tokens.policy</c>.</summary>
internal static class PolicyJson
{
    public static string Serialize(TokenPolicy policy)
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
        };
        return JsonSerializer.Serialize(document, StoreJsonContext.Default.PolicyDocument);
    }

    /// <exception cref="StorageException">The text is not a policy document (<see cref="StorageError.Incompatible"/>).</exception>
    public static TokenPolicy Deserialize(string json, string tokenId)
    {
        try
        {
            var document = JsonSerializer.Deserialize(json, StoreJsonContext.Default.PolicyDocument)
                ?? throw new JsonException("the policy is null");
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
