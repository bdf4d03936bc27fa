using System.Collections.Frozen;

namespace Keywarden.Gateway.Tokens;

/// <summary>An immutable view of every token, live or retired, swapped as a whole when the store changes.</summary>
internal sealed class TokenSnapshot
{
    public static readonly TokenSnapshot Empty = new(
        -1, FrozenDictionary<TokenHash, TokenEntry>.Empty, FrozenDictionary<TokenHash, RetiredToken>.Empty, FrozenSet<string>.Empty);

    public TokenSnapshot(long revision, FrozenDictionary<TokenHash, TokenEntry> tokens, FrozenDictionary<TokenHash, RetiredToken> retired, FrozenSet<string> origins)
    {
        Revision = revision;
        Tokens = tokens;
        Retired = retired;
        AllowedOrigins = origins;
    }

    public long Revision { get; }

    public FrozenDictionary<TokenHash, TokenEntry> Tokens { get; }

    /// <summary>Tokens that exist but cannot be used, so that an attempt with one is recorded under its id.</summary>
    public FrozenDictionary<TokenHash, RetiredToken> Retired { get; }

    /// <summary>Every origin some token allows: a CORS preflight (which carries no token) is answered only for these.</summary>
    public FrozenSet<string> AllowedOrigins { get; }
}
