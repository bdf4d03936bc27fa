using Keywarden.Gateway.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tokens;

/// <summary>Polls the store's revision (one cheap read per interval, never per request) and reloads the cache on change.</summary>
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
        using var timer = new PeriodicTimer(_options.ReloadInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await _cache.RefreshAsync(cancellationToken: stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.CacheReloadFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
