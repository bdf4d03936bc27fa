using System.Collections.Frozen;
using Keywarden.Core.Policy;
using Keywarden.Gateway.Observability;
using Keywarden.Storage;
using Keywarden.Storage.Vault;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tokens;

/// <summary>
/// Every live token and its upstream, in memory: the hot path never reads the database. Reloaded as
/// a whole when the store's revision changes (a token issued or revoked, an upstream added, removed
/// or rotated), so a revocation takes effect within one reload interval on every instance.
/// </summary>
internal sealed class TokenCache : IDisposable
{
    private readonly KeywardenVault _vault;
    private readonly ILogger<TokenCache> _logger;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile TokenSnapshot _snapshot = TokenSnapshot.Empty;

    public TokenCache(KeywardenVault vault, ILogger<TokenCache> logger)
    {
        _vault = vault;
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

    /// <summary>Reloads when the store changed since the last load (or when forced). Returns true when a new snapshot was taken.</summary>
    public async Task<bool> RefreshAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var revision = await _vault.Store.GetRevisionAsync(cancellationToken);
            if (!force && revision == _snapshot.Revision)
            {
                return false;
            }

            var targets = new Dictionary<string, UpstreamTarget>(StringComparer.Ordinal);
            foreach (var upstream in await _vault.Store.ListUpstreamsAsync(cancellationToken))
            {
                var current = (await _vault.Store.ListKeysAsync(upstream.Id, cancellationToken)).FirstOrDefault(k => k.Slot == KeySlot.Current);
                if (current is null)
                {
                    continue;
                }

                try
                {
                    var key = _vault.Upstreams.Open(current, upstream.Kind);
                    targets[upstream.Id] = new UpstreamTarget(upstream.Id, upstream.Name, current.Id, key, upstream.BaseUrl);
                }
                catch (VaultException e)
                {
                    Log.UpstreamKeyUnavailable(_logger, upstream.Name, e.Message);
                }
            }

            var tokens = new Dictionary<TokenHash, TokenEntry>();
            var retired = new Dictionary<TokenHash, RetiredToken>();
            var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var token in await _vault.Store.ListTokensAsync(cancellationToken))
            {
                if (token.RevokedAt is not null || !targets.TryGetValue(token.UpstreamId, out var target))
                {
                    // Kept by hash with its id only: an attempt with it is refused as an unknown key, and recorded as its.
                    retired[TokenHash.FromBytes(token.Hash)] = new RetiredToken(token.Id, token.UpstreamId, token.RevokedAt is null ? "token-suspended" : "token-revoked");
                    continue;
                }

                tokens[TokenHash.FromBytes(token.Hash)] = new TokenEntry(token.Id, token.Name, CompiledPolicy.Compile(token.Policy, target.Kind), target)
                {
                    Superseded = token.SupersededBy is not null,
                };
                origins.UnionWith(token.Policy.Origins);
            }

            _snapshot = new TokenSnapshot(revision, tokens.ToFrozenDictionary(), retired.ToFrozenDictionary(), origins.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
            Log.CacheLoaded(_logger, revision, tokens.Count, targets.Count);
            return true;
        }
        finally
        {
            _reload.Release();
        }
    }
}
