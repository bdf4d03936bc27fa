using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>What a gateway serves from, all as of <paramref name="Revision"/>.</summary>
/// <param name="Revision">The store's revision the snapshot was read at.</param>
/// <param name="Upstreams">The upstreams whose current key opened, ordered by name.</param>
/// <param name="Unavailable">The upstreams in use that cannot be forwarded to (no current key, or it did not open), and why.</param>
/// <param name="Tokens">Every token, revoked and replaced ones included, newest first.</param>
public sealed record GatewaySnapshot(
    long Revision, IReadOnlyList<GatewayUpstream> Upstreams, IReadOnlyList<UnavailableUpstream> Unavailable, IReadOnlyList<TokenRecord> Tokens);
