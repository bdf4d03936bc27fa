namespace Keywarden.Monitoring;

/// <summary>
/// The engine's settings: how much history the baselines hold, how long a new token learns, and each detector's own
/// options. The defaults are the documented ones (see the project README's table); <see cref="Validate"/> refuses
/// settings the bounded structures cannot hold.
/// </summary>
public sealed record MonitorOptions
{
    /// <summary>How much history the baselines learn from. Default 28 days (4 weeks of each hour of the week). Whole weeks, 1 to 8.</summary>
    public TimeSpan History { get; init; } = TimeSpan.FromDays(28);

    /// <summary>
    /// A token seen for the first time less than this long ago is learning: only absolute rules (decoy, denial bursts,
    /// the volume ceiling, refused sends) fire, and their alerts say <see cref="MonitorAlert.Learning"/>. Default 7 days.
    /// </summary>
    public TimeSpan LearningPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The volume detector's settings.</summary>
    public VolumeOptions Volume { get; init; } = new();

    /// <summary>The new-network detector's settings.</summary>
    public NewNetworkOptions NewNetwork { get; init; } = new();

    /// <summary>The new-surface detector's settings.</summary>
    public NewSurfaceOptions NewSurface { get; init; } = new();

    /// <summary>The denial-burst detector's settings.</summary>
    public DenialBurstOptions DenialBurst { get; init; } = new();

    /// <summary>The sending detector's settings.</summary>
    public SendingOptions Sending { get; init; } = new();

    /// <summary>The upstream-errors detector's settings.</summary>
    public UpstreamErrorsOptions UpstreamErrors { get; init; } = new();

    /// <summary>Whole weeks of <see cref="History"/>.</summary>
    internal int HistoryWeeks => (int)(History.Ticks / TimeSpan.TicksPerDay / 7);

    /// <summary>Whole days of <see cref="History"/>.</summary>
    internal int HistoryDays => HistoryWeeks * 7;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its documented range.</exception>
    public MonitorOptions Validate()
    {
        if (History.Ticks % (TimeSpan.TicksPerDay * 7) != 0 || HistoryWeeks is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(History), History, "the history is 1 to 8 whole weeks");
        }

        if (LearningPeriod < TimeSpan.Zero || LearningPeriod > History)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningPeriod), LearningPeriod, "the learning period is between 0 and the history");
        }

        Volume.Validate();
        NewNetwork.Validate();
        NewSurface.Validate();
        DenialBurst.Validate();
        Sending.Validate();
        UpstreamErrors.Validate();
        return this;
    }

    internal static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a positive number");
        }
    }

    internal static void Window(TimeSpan value, string name)
    {
        if (value < TimeSpan.FromMinutes(1) || value > TimeSpan.FromHours(1) || value.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "a window is 1 to 60 whole minutes");
        }
    }
}
