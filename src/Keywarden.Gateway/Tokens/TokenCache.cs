using System.Collections.Frozen;
using Keywarden.Application;
using Keywarden.Core.Policy;
using Keywarden.Gateway.Observability;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tokens;

/// <summary>
/// Every live token and its upstream, in memory: the hot path never reads the database. Reloaded as
/// a whole when the store's revision changes (a token issued, revoked, suspended or resumed, an upstream added, removed
/// or rotated), as the store's change feed reports it, so a revocation takes effect on every instance within the feed's
/// delay (SQLite: one poll, 100 ms). A reload is
/// one read of the store and one decryption per upstream (<see cref="IGatewaySnapshotSource"/>).
/// </summary>
internal sealed class TokenCache : IDisposable
{
    private readonly IGatewaySnapshotSource _source;
    private readonly ILogger<TokenCache> _logger;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile TokenSnapshot _snapshot = TokenSnapshot.Empty;

    public TokenCache(IGatewaySnapshotSource source, ILogger<TokenCache> logger)
    {
        _source = source;
        _logger = logger;
    }

    public TokenSnapshot Current => _snapshot;

    public void Dispose() => _reload.Dispose();

    /// <summary>True once a snapshot has been loaded.</summary>
    public bool Loaded => _snapshot.Revision >= 0;

    /// <summary>The token as a live one (<paramref name="entry"/>), a retired one (<paramref name="retired"/>), or neither (false).</summary>
    public bool TryFind(ReadOnlySpan<char> token, out TokenEntry? entry, out RetiredToken? retired)
    {
        var snapshot = _snapshot;
        var hash = TokenHash.Of(token);
        retired = null;
        if (snapshot.Tokens.TryGetValue(hash, out entry))
        {
            return true;
        }

        return snapshot.Retired.TryGetValue(hash, out retired);
    }

    /// <summary>Completes once the store has changed since the current snapshot was taken (the store's change feed).</summary>
    public Task<long> WaitForChangeAsync(CancellationToken cancellationToken) =>
        _source.Changes.WaitForChangeAsync(_snapshot.Revision, cancellationToken);

    /// <summary>Reloads when the store changed since the last load (or when forced). Returns true when a new snapshot was taken.</summary>
    public async Task<bool> RefreshAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var revision = await _source.Changes.GetRevisionAsync(cancellationToken);
            if (!force && revision == _snapshot.Revision)
            {
                return false;
            }

            var loaded = await _source.LoadAsync(cancellationToken);
            foreach (var unavailable in loaded.Unavailable)
            {
                Log.UpstreamKeyUnavailable(_logger, unavailable.Upstream.Name, unavailable.Problem);
            }

            var targets = new Dictionary<string, UpstreamTarget>(StringComparer.Ordinal);
            foreach (var (upstream, keyId, key) in loaded.Upstreams)
            {
                targets[upstream.Id] = new UpstreamTarget(upstream.Id, upstream.Name, keyId, key, upstream.BaseUrl);
            }

            var tokens = new Dictionary<TokenHash, TokenEntry>();
            var retired = new Dictionary<TokenHash, RetiredToken>();
            var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var token in loaded.Tokens)
            {
                var hasTarget = targets.TryGetValue(token.UpstreamId, out var target);
                if (token.Decoy || token.RevokedAt is not null || !hasTarget || token.Suspension is not null)
                {
                    // Kept by hash with its id only: an attempt with it is refused, and recorded as its. A decoy stays a decoy
                    // whatever else is true of it (revoked, its upstream removed): whoever presents it is still caught.
                    var rule = token.Decoy ? RuleNames.Decoy
                        : token.RevokedAt is not null ? RuleNames.TokenRevoked
                        : !hasTarget ? RuleNames.TokenSuspended
                        : RuleNames.TokenHeld;
                    retired[TokenHash.FromBytes(token.Hash)] = new RetiredToken(token.Id, token.UpstreamId, rule);
                    continue;
                }

                tokens[TokenHash.FromBytes(token.Hash)] = new TokenEntry(token.Id, token.Name, CompiledPolicy.Compile(token.Policy, target!.Kind), target)
                {
                    Superseded = token.SupersededBy is not null,
                };
                origins.UnionWith(token.Policy.Origins);
            }

            // The snapshot's own revision: the one its rows belong to, which may be newer than the one read above.
            _snapshot = new TokenSnapshot(loaded.Revision, tokens.ToFrozenDictionary(), retired.ToFrozenDictionary(), origins.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
            Log.CacheLoaded(_logger, loaded.Revision, tokens.Count, targets.Count);
            return true;
        }
        finally
        {
            _reload.Release();
        }
    }
}
