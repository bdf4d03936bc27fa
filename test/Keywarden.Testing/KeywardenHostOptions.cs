using Keywarden.Core.Keys;
using Keywarden.Gateway;
using Keywarden.Gateway.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keywarden.Testing;

/// <summary>What a <see cref="KeywardenHost"/> starts. The defaults are the gateway tests' set-up.</summary>
public sealed class KeywardenHostOptions
{
    /// <summary>Where the vault keeps its data; <see cref="StoreEngine.Sqlite"/> by default.</summary>
    public StoreEngine Engine { get; set; } = StoreEngine.Sqlite;

    /// <summary>
    /// The upstreams stored on start, each with a fresh key of the sandbox's one account (datacenter us21). By default
    /// <c>news</c> (Marketing) and <c>mail</c> (Transactional).
    /// </summary>
    public IReadOnlyList<HostUpstream> Upstreams { get; set; } =
    [
        new("news", UpstreamKind.Marketing, "gateway marketing"),
        new("mail", UpstreamKind.Transactional, "gateway transactional"),
    ];

    /// <summary>The sandbox account's name.</summary>
    public string AccountName { get; set; } = "Gateway Test";

    /// <summary>Whether to start the gateway (true by default); the vault and sandbox alone serve rotation tests.</summary>
    public bool StartGateway { get; set; } = true;

    /// <summary>Gateway options beyond the loopback listeners and the audit spool directory.</summary>
    public Action<GatewayOptions>? ConfigureGateway { get; set; }

    /// <summary>Services added to the gateway's after its own and Mailchimp's APIs (an outcome observer).</summary>
    public Action<IServiceCollection>? GatewayServices { get; set; }

    /// <summary>The gateway's clock (a FakeTimeProvider for expiry and rate tests); the vault and sandbox keep the system clock.</summary>
    public TimeProvider? GatewayTime { get; set; }

    /// <summary>Where the gateway logs (nowhere by default).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Audit queue settings; by default fail-open follows <see cref="GatewayOptions.AuditFailOpen"/>.</summary>
    public AuditQueueOptions? Audit { get; set; }

    /// <summary>
    /// How long a key verification may take (30 s by default: the first one also pays for JIT and connection set-up on
    /// a loaded 2-core machine); a test of a slow upstream sets it below the sandbox's delay.
    /// </summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
