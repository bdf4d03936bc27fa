using System.Net;

namespace Keywarden.Gateway;

/// <summary>Settings of <c>keywarden serve</c>. Defaults are stated on each property and checked by <see cref="Validate"/>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The default of <see cref="MaxRequestBodyBytes"/>: 10 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>Addresses to listen on. Default <c>http://127.0.0.1:8080</c>; port 0 picks a free port.</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed. Default: none, so the socket address is the client.</summary>
    public IList<IPNetwork> TrustedProxies { get; } = [];

    /// <summary>Largest request body accepted (413 beyond). Default 10 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>How long an upstream call may be silent before it fails with 504. Default 100 s, as Mailchimp's own clients.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Simultaneous upstream requests per real key. Mailchimp answers 429 past 10. Default 10.</summary>
    public int ConcurrencyPerKey { get; set; } = 10;

    /// <summary>Requests allowed to wait for a free slot per key before new ones are refused. Default 1000.</summary>
    public int QueueLimitPerKey { get; set; } = 1000;

    /// <summary>How long a request waits for a slot before 429. Default 30 s.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the token cache checks the store for changes (revocations, new tokens). Default 100 ms.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Serve traffic even when audit records cannot be written. Default false: answer 503 instead.</summary>
    public bool AuditFailOpen { get; set; }

    /// <summary>
    /// Hold each response until its audit record is confirmed by the disk (fsync), so it survives a power loss too.
    /// Default false: until it is committed to the operating system, which survives a crash of Keywarden.
    /// </summary>
    public bool AuditFsync { get; set; }

    /// <summary>
    /// Where each response's audit record is spooled before the answer leaves (<see cref="Keywarden.Storage.Audit.AuditSpool"/>,
    /// beside the database); spool files a crashed gateway left are replayed into the store at start. Null (the
    /// default for an embedded gateway): no spool, each answer waits for its record's commit in the store instead.
    /// Not used with <see cref="AuditFsync"/>, which always waits for the store.
    /// </summary>
    public string? AuditSpoolDirectory { get; set; }

    /// <summary>
    /// The slowest a request body may arrive once <see cref="MinRequestBodyGracePeriod"/> has passed; a slower one is
    /// refused with 408 and a streamed one is aborted upstream, so Mailchimp never acts on half a request. Default 240
    /// bytes a second (Kestrel's).
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long a request body may arrive at any pace before <see cref="MinRequestBodyBytesPerSecond"/> applies. Default 5 s; more than 1 s.</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (MaxRequestBodyBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), "must be positive");
        }

        if (ConcurrencyPerKey is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(ConcurrencyPerKey), "must be between 1 and 1000");
        }

        if (QueueLimitPerKey < 0 || QueueTimeout <= TimeSpan.Zero || UpstreamTimeout <= TimeSpan.Zero || ReloadInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueTimeout), "queue limit, timeouts and reload interval must be positive");
        }

        if (MinRequestBodyBytesPerSecond <= 0 || MinRequestBodyGracePeriod <= TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRequestBodyBytesPerSecond), "the body rate must be positive and its grace period more than 1 s");
        }
    }
}
