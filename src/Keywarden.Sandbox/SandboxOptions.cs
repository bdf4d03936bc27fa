using Microsoft.Extensions.Logging;

namespace Keywarden.Sandbox;

/// <summary>How a <see cref="SandboxServer"/> listens and behaves.</summary>
public sealed class SandboxOptions
{
    /// <summary>Addresses to bind, separated by ';'. Port 0 picks a free port. Default <c>http://127.0.0.1:0</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Marketing requests a key may have in flight before the next one gets 429 (Mailchimp allows 10).</summary>
    public int MaxConcurrentRequestsPerKey { get; set; } = 10;

    /// <summary>
    /// The HTTP status Transactional errors carry. <see cref="TransactionalErrorStatusCodes.Legacy"/> (default)
    /// answers every error with 500, as Mandrill long did and as the Keywarden design describes;
    /// <see cref="TransactionalErrorStatusCodes.Current"/> answers Invalid_Key with 401 and ValidationError with 400,
    /// as Mailchimp announced in 2023.
    /// </summary>
    public TransactionalErrorStatusCodes TransactionalErrorStatusCodes { get; set; } = TransactionalErrorStatusCodes.Legacy;

    /// <summary>The clock of the sandbox (timestamps of resources and recorded requests, artificial latency).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the sandbox logs: one Information line with the address at start, and warnings. Null (default) logs
    /// warnings only, to the console (the host, e.g. the CLI, prints the address itself). Keys are never logged.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Urls))
        {
            throw new ArgumentException("SandboxOptions.Urls must name at least one address.", nameof(Urls));
        }

        if (MaxConcurrentRequestsPerKey < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequestsPerKey), MaxConcurrentRequestsPerKey, "Must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
