using System.Collections.Frozen;

namespace Keywarden.Gateway.Tokens;

/// <summary>An immutable view of every live token, swapped as a whole when the store changes.</summary>
internal sealed class TokenSnapshot
{
    public static readonly TokenSnapshot Empty = new(-1, FrozenDictionary<TokenHash, TokenEntry>.Empty, FrozenSet<string>.Empty);

    public TokenSnapshot(long revision, FrozenDictionary<TokenHash, TokenEntry> tokens, FrozenSet<string> origins)
    {
        Revision = revision;
        Tokens = tokens;
        AllowedOrigins = origins;
    }

    public long Revision { get; }

    public FrozenDictionary<TokenHash, TokenEntry> Tokens { get; }

    /// <summary>Every origin some token allows: a CORS preflight (which carries no token) is answered only for these.</summary>
    public FrozenSet<string> AllowedOrigins { get; }
}
