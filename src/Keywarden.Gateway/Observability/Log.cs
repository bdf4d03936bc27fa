using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Observability;

/// <summary>Gateway log messages. Parameters are ids, names and counts: never a token, key or body. Event ids 8000–8099.</summary>
internal static partial class Log
{
    [LoggerMessage(8000, LogLevel.Information, "Keywarden gateway listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(8001, LogLevel.Information, "Token cache loaded revision {Revision}: {Tokens} tokens, {Upstreams} upstreams")]
    public static partial void CacheLoaded(ILogger logger, long revision, int tokens, int upstreams);

    [LoggerMessage(8002, LogLevel.Error, "Token cache reload failed; serving the previous snapshot")]
    public static partial void CacheReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(8003, LogLevel.Error, "Upstream {Upstream}: its current key cannot be opened ({Problem}); its tokens are refused")]
    public static partial void UpstreamKeyUnavailable(ILogger logger, string upstream, string problem);

    [LoggerMessage(8004, LogLevel.Warning, "Forwarding to upstream {Upstream} failed: {Error} ({ExceptionType}: {ExceptionMessage})")]
    public static partial void ForwardFailed(ILogger logger, string upstream, string error, string exceptionType, string exceptionMessage);

    [LoggerMessage(8005, LogLevel.Error,
        "Audit is unavailable: refusing requests with 503 (audit or refuse); {Held} more refused since the last such message. Queue depth {Depth}: {Cause}")]
    public static partial void AuditRefused(ILogger logger, long held, int depth, string cause);

    [LoggerMessage(8006, LogLevel.Warning,
        "Audit is unavailable but fail-open is configured: serving unaudited traffic; {Held} more served since the last such message. Queue depth {Depth}: {Cause}")]
    public static partial void AuditFailOpen(ILogger logger, long held, int depth, string cause);

    [LoggerMessage(8007, LogLevel.Error, "A request failed unexpectedly ({ExceptionType}); answered 500 and recorded as an error")]
    public static partial void RequestFailed(ILogger logger, string exceptionType);

    [LoggerMessage(8008, LogLevel.Information, "TLS certificate loaded ({Why}): {Subject}, valid until {NotAfter:u}")]
    public static partial void TlsCertificateLoaded(ILogger logger, string why, string subject, DateTime notAfter);

    [LoggerMessage(8009, LogLevel.Error, "TLS certificate not reloaded ({Why}); the previous one stays in use: {Problem}")]
    public static partial void TlsCertificateReloadFailed(ILogger logger, string why, string problem);

    [LoggerMessage(8010, LogLevel.Error, "Request outcome observer {Observer} failed ({ExceptionType}); {Held} more failures since the last such message")]
    public static partial void ObserverFailed(ILogger logger, string observer, string exceptionType, long held);

    [LoggerMessage(8011, LogLevel.Warning,
        "Decoy token {TokenId} used from {Client}: refused as revoked; the address is blocked until {Until:u}; {Held} more decoy uses since the last such message")]
    public static partial void DecoyUsed(ILogger logger, string tokenId, string client, DateTimeOffset until, long held);

    [LoggerMessage(8012, LogLevel.Warning,
        "Decoy token {TokenId} used from {Client}: refused as revoked (address blocking is off); {Held} more decoy uses since the last such message")]
    public static partial void DecoyUsedNoBlock(ILogger logger, string tokenId, string client, long held);
}
