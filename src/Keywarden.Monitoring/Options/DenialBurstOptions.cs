namespace Keywarden.Monitoring;

/// <summary>
/// The denial-burst detector: refusals counted over a sliding window (one-minute buckets), per token, and per client
/// address for requests without a valid token (no credential, an unknown, revoked or rotated token: guessing, or a dead
/// token still deployed). Operational refusals (rate limit, daily quota, a busy key, an aborted client, audit
/// unavailable) are not counted: they say the app is busy, not that someone is trying doors. An absolute rule: it fires
/// while a token is learning too.
/// </summary>
public sealed record DenialBurstOptions
{
    /// <summary>The window. Default 10 minutes. 1 to 60 whole minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Refusals of one token in the window that raise a warning. Default 20: a misconfigured call refused on every run of
    /// a cron makes a few; a stolen narrow token probing what it may do makes dozens.
    /// </summary>
    public int TokenThreshold { get; init; } = 20;

    /// <summary>
    /// Refusals without a valid token from one address in the window that raise a warning. Default 20: a stray old
    /// deployment retrying once a minute makes 10; a guesser makes hundreds.
    /// </summary>
    public int AddressThreshold { get; init; } = 20;

    /// <summary>Refusals in the window that raise it again as critical. Default 200.</summary>
    public int CriticalThreshold { get; init; } = 200;

    /// <summary>
    /// Client addresses tracked at once. Default 65 536; when full, addresses idle for a whole window are dropped, and
    /// if none is, a new address is not tracked until one is (memory stays bounded under a spray of addresses).
    /// </summary>
    public int MaxAddresses { get; init; } = 65_536;

    internal void Validate()
    {
        MonitorOptions.Window(Window, nameof(Window));
        MonitorOptions.Positive(TokenThreshold, nameof(TokenThreshold));
        MonitorOptions.Positive(AddressThreshold, nameof(AddressThreshold));
        MonitorOptions.Positive(CriticalThreshold, nameof(CriticalThreshold));
        MonitorOptions.Positive(MaxAddresses, nameof(MaxAddresses));
    }
}
