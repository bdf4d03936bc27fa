using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Gateway;

/// <summary>Settings of the <see cref="LiveMonitor"/>. Checked when it is made.</summary>
public sealed class LiveMonitorOptions
{
    /// <summary>The detectors' settings.</summary>
    public MonitorOptions Detectors { get; set; } = new();

    /// <summary>How much of the audit log is read at start-up to learn each token's normal use. Default 28 days.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromDays(28);

    /// <summary>
    /// What happens to a token on a warning or critical alert about it, when the token does not say
    /// (<c>token issue --on-anomaly</c>). Default <see cref="AnomalyResponse.Alert"/>: alert only.
    /// </summary>
    public AnomalyResponse DefaultResponse { get; set; } = AnomalyResponse.Alert;

    /// <summary>
    /// How many request outcomes may wait for the monitor. Past it, outcomes are dropped and counted
    /// (<c>keywarden_monitor_events_dropped_total</c>): the monitor never slows or refuses traffic. Default 100 000.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// How long the gateway refuses a client address after a decoy use (<c>GatewayOptions.DecoyBlock</c>), so that a decoy
    /// alert can say so in its action. Zero: the gateway does not block.
    /// </summary>
    public TimeSpan DecoyBlock { get; set; }

    /// <summary>Who the monitor's suspensions are recorded as in the audit log.</summary>
    public string Actor { get; set; } = "monitor";

    /// <exception cref="ArgumentOutOfRangeException">Names the setting.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Detectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(History, TimeSpan.Zero, nameof(History));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(DecoyBlock, TimeSpan.Zero, nameof(DecoyBlock));
        ArgumentException.ThrowIfNullOrWhiteSpace(Actor, nameof(Actor));
        if (!Enum.IsDefined(DefaultResponse))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultResponse), DefaultResponse, "unknown anomaly response");
        }
    }
}
