using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>The sending detector's memory of one token: recipients per day and the largest message per day over the history.</summary>
internal sealed class SendingState(int days)
{
    public DayRing RecipientsPerDay { get; } = new(days);

    public DayRing LargestMessage { get; } = new(days);

    /// <summary>The day a message alert was last raised on, or −1.</summary>
    public long MessageRaisedDay { get; set; } = -1;

    /// <summary>The day the daily alert was last raised on, or −1.</summary>
    public long DailyRaisedDay { get; set; } = -1;

    /// <summary>When a refused send was last raised, or <see cref="long.MinValue"/>.</summary>
    public long RefusalRaisedAt { get; set; } = long.MinValue;
}
