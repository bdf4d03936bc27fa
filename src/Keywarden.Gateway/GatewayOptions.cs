using System.Net;

namespace Keywarden.Gateway;

/// <summary>Settings of <c>keywarden serve</c>. Defaults are stated on each property and checked by <see cref="Validate"/>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The default of <see cref="MaxRequestBodyBytes"/>: 10 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>Addresses to listen on. Default <c>http://127.0.0.1:8080</c>; port 0 picks a free port.</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>
    /// Where <c>/metrics</c> is served (with <c>/healthz</c> and <c>/readyz</c>), apart from the API: none by default,
    /// so request counts and rule names are not open to every client of the gateway. Plain http is fine here (no secret
    /// crosses it), on any address.
    /// </summary>
    public IList<string> MetricsUrls { get; } = [];

    /// <summary>The TLS certificate (PEM, the chain after it) for <c>https://</c> listeners; reloaded when it changes or on SIGHUP.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>The certificate's private key (PEM, unencrypted; keep it 0600).</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>
    /// Accept a plain <c>http://</c> API listener on an address other machines can reach. Off by default: clients send
    /// their tokens with every request, and on such a listener they would cross the network in clear. Set it when a TLS
    /// proxy in front terminates TLS.
    /// </summary>
    public bool AllowPlaintext { get; set; }

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

    /// <summary>
    /// How long the token cache waits before trying again when the store could not be read (it serves the previous
    /// snapshot meanwhile). Changes themselves (revocations, new tokens) arrive through the store's change feed, as soon
    /// as the engine learns of them (SQLite: one poll, 100 ms). Default 100 ms.
    /// </summary>
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

    /// <summary>
    /// How long a client address is refused after it used a decoy token: every request from it, whatever token it carries,
    /// is answered as an invalid key (rule <c>address-blocked</c>); another decoy use starts the time again. Default 15
    /// minutes; zero turns blocking off (the decoy use is still refused and audited).
    /// </summary>
    public TimeSpan DecoyBlock { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// On SIGTERM or Ctrl+C, how long requests in flight may take to finish (new connections are refused at once) before
    /// they are cut off; the audit queue is flushed after them. Default 30 s (systemd's TimeoutStopSec is 90 s).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most client addresses blocked at once; past it the oldest block is dropped. Default 10 000.</summary>
    public int DecoyBlockCapacity { get; set; } = 10_000;

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

        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), "the shutdown timeout must be positive");
        }

        if (DecoyBlock < TimeSpan.Zero || DecoyBlockCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DecoyBlock), "the decoy block must be zero (off) or positive, and hold at least one address");
        }

        var api = Listen(Urls.Count == 0 ? ["http://127.0.0.1:8080"] : Urls);
        var metrics = Listen(MetricsUrls);
        if ((TlsCertificateFile is null) != (TlsKeyFile is null))
        {
            throw new ArgumentException("a TLS certificate needs its key, and a key its certificate (--tls-cert with --tls-key)");
        }

        if (api.Concat(metrics).FirstOrDefault(a => a.IsHttps) is { } https && TlsCertificateFile is null)
        {
            throw new ArgumentException($"{https} needs a certificate: give --tls-cert and --tls-key (PEM files)");
        }

        if (!AllowPlaintext && api.FirstOrDefault(a => !a.IsHttps && !a.IsLoopback) is { } exposed)
        {
            throw new ArgumentException(
                $"refusing to serve the API on {exposed} without TLS: applications send their tokens with every request, and other machines "
                + "would see them in clear. Listen on https:// with --tls-cert and --tls-key, or add --allow-plaintext when a TLS proxy in front terminates TLS");
        }

        if (MinRequestBodyBytesPerSecond <= 0 || MinRequestBodyGracePeriod <= TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRequestBodyBytesPerSecond), "the body rate must be positive and its grace period more than 1 s");
        }
    }

    /// <summary>The listen addresses of <paramref name="urls"/>; throws on the first that is not one.</summary>
    internal static IReadOnlyList<Hosting.ListenAddress> Listen(IEnumerable<string> urls) =>
        urls.Select(url => Hosting.ListenAddress.TryParse(url, out var address, out var error) ? address : throw new ArgumentException(error)).ToList();
}
