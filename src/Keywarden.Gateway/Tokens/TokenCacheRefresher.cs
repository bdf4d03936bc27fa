using Keywarden.Gateway.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tokens;

/// <summary>
/// Keeps the token cache current: waits on the store's change feed (<see cref="Storage.IStoreChanges.WaitForChangeAsync"/>:
/// SQLite polls its revision, PostgreSQL will be told) and reloads on every change; never a read per request. When the
/// store cannot be read it serves the previous snapshot and tries again after <see cref="GatewayOptions.ReloadInterval"/>.
/// </summary>
internal sealed class TokenCacheRefresher : BackgroundService
{
    private readonly TokenCache _cache;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenCacheRefresher> _logger;

    public TokenCacheRefresher(TokenCache cache, GatewayOptions options, TimeProvider time, ILogger<TokenCacheRefresher> logger)
    {
        _cache = cache;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _cache.WaitForChangeAsync(stoppingToken);
                    await _cache.RefreshAsync(cancellationToken: stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.CacheReloadFailed(_logger, e);
                    await Task.Delay(_options.ReloadInterval, _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
