using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>The new-network detector's memory of one token: the networks it used, and the last client address's network (clients repeat).</summary>
internal sealed class NewNetworkState(int capacity)
{
    public LruKeySet Networks { get; } = new(capacity);

    public string? LastClient { get; set; }

    public long LastNetwork { get; set; } = ClientNetwork.None;
}
