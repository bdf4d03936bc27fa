namespace Keywarden.Core.Policy;

/// <summary>
/// What a gateway token may do. Default deny: empty <see cref="Paths"/> and <see cref="Methods"/>
/// mean the whole API of the upstream, but every other limit is enforced as given.
/// </summary>
public sealed record TokenPolicy
{
    /// <summary>Only safe methods (GET, HEAD) on Marketing; read-only methods on Transactional.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Marketing path globs on the canonical path after <c>/3.0</c>, e.g. <c>/lists/**</c>. Empty: every path.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Transactional methods, e.g. <c>messages/send</c>. Empty: every method.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Client networks allowed to use the token. Empty: any address.</summary>
    public IReadOnlyList<string> Cidrs { get; init; } = [];

    /// <summary>Browser origins allowed to use the token. Empty: requests with an <c>Origin</c> header are refused.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>The token is refused before this instant.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The token is refused from this instant on.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Requests allowed per window, or null for no token-specific limit.</summary>
    public RateLimit? Rate { get; init; }

    /// <summary>Sender domains a message may come from. Empty: any domain.</summary>
    public IReadOnlyList<string> FromDomains { get; init; } = [];

    /// <summary>Maximum recipients of one message, or null.</summary>
    public int? MaxRecipients { get; init; }

    /// <summary>Maximum messages sent per UTC day, or null.</summary>
    public int? DailyQuota { get; init; }
}
