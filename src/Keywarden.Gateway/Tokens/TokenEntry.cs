using Keywarden.Core.Policy;

namespace Keywarden.Gateway.Tokens;

/// <summary>A live token as the gateway knows it: id, policy and the upstream it maps to.</summary>
/// <remarks>The policy is compiled once, pinned to the upstream's API, so evaluation on the hot path allocates nothing.</remarks>
public sealed record TokenEntry(string TokenId, string Name, CompiledPolicy Compiled, UpstreamTarget Target)
{
    public TokenPolicy Policy => Compiled.Policy;

    /// <summary>Replaced by <c>token rotate</c>: past its expiry (the end of the grace period) it is as good as revoked.</summary>
    public bool Superseded { get; init; }

    /// <summary>True when the token has been rotated and its grace period is over at <paramref name="now"/>.</summary>
    public bool IsRetiredAt(DateTimeOffset now) => Superseded && Policy.ExpiresAt is { } end && now >= end;
}
