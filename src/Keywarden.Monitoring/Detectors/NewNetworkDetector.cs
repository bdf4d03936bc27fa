using Keywarden.Core.Monitoring;
using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// A client network the token never used (<see cref="NewNetworkOptions"/>), on any request of the token, allowed or
/// refused (a refused request from elsewhere still says the token is elsewhere). Learned silently while the token learns.
/// </summary>
internal sealed class NewNetworkDetector(MonitorOptions options) : ITokenDetector
{
    private readonly int _capacity = options.NewNetwork.MaxNetworks;
    private readonly long _concurrentMs = (long)options.NewNetwork.ConcurrentWindow.TotalMilliseconds;

    public void Observe(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        var state = context.Token!.Networks ??= new NewNetworkState(_capacity);
        long network;
        if (string.Equals(e.Client, state.LastClient, StringComparison.Ordinal))
        {
            network = state.LastNetwork;
        }
        else
        {
            network = ClientNetwork.Of(e.Client);
            state.LastClient = e.Client;
            state.LastNetwork = network;
        }

        var networks = state.Networks;
        if (network == ClientNetwork.None || networks.Touch(network, context.Now))
        {
            return;
        }

        var known = networks.Count;
        var other = networks.MostRecentSince(context.Now - _concurrentMs);
        networks.Add(network, context.Now);
        if (context.Learning || known == 0 || !sink.Enabled)
        {
            return;
        }

        var why = $"first request from {ClientNetwork.Describe(network)} (client {e.Client}, {Words.Agent(e.UserAgent)}); "
            + $"this token used {Words.Plural(known, "other network")} before";
        if (other is { } concurrent)
        {
            why += $", and {ClientNetwork.Describe(concurrent.Key)} {Words.Ago(context.Now - concurrent.LastUsed)} ago: the same token in two places at once";
        }

        sink.Raise(DetectorNames.NewNetwork, other is null ? AlertSeverity.Warning : AlertSeverity.Critical, e, why, learning: false);
    }
}
