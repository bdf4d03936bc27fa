using Keywarden.Core.Keys;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>An upstream as people see it: never more of a key than its first four characters and its label.</summary>
/// <param name="Upstream">The upstream.</param>
/// <param name="CurrentKey">Its current key's record (the ciphertext is never shown).</param>
/// <param name="ActiveTokens">How many unrevoked tokens map to it.</param>
public sealed record UpstreamView(UpstreamRecord Upstream, UpstreamKeyRecord? CurrentKey, int ActiveTokens)
{
    /// <summary>The current key as it may be shown: first four characters and its Mailchimp name.</summary>
    public string KeyDescription => CurrentKey is null ? "(none)" : KeyDisplay.Describe(CurrentKey.Prefix, CurrentKey.Label);
}
