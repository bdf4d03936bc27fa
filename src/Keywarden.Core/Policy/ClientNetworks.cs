using System.Net;
using System.Net.Sockets;

namespace Keywarden.Core.Policy;

/// <summary>The client networks of a policy, parsed once. IPv4-mapped IPv6 addresses and networks are treated as IPv4.</summary>
internal sealed class ClientNetworks
{
    private readonly IPNetwork[] _networks;

    private ClientNetworks(IPNetwork[] networks, bool any)
    {
        _networks = networks;
        IsAny = any;
    }

    /// <summary>True when the policy names no network: any address.</summary>
    public bool IsAny { get; }

    /// <summary>
    /// Parses <c>203.0.113.0/24</c>, <c>2001:db8::/32</c> or a bare address. An entry that does not parse matches
    /// nothing (the store validates on issue; a corrupt entry must not widen access).
    /// </summary>
    public static ClientNetworks Parse(IReadOnlyList<string> cidrs)
    {
        var networks = new List<IPNetwork>(cidrs.Count);
        foreach (var text in cidrs)
        {
            if (TryParse(text.Trim(), out var network))
            {
                networks.Add(network);
            }
        }

        return new ClientNetworks([.. networks], cidrs.Count == 0);
    }

    public bool Contains(IPAddress client)
    {
        if (IsAny)
        {
            return true;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParse(string text, out IPNetwork network)
    {
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var single))
            {
                network = default;
                return false;
            }

            single = single.IsIPv4MappedToIPv6 ? single.MapToIPv4() : single;
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        if (!IPNetwork.TryParse(text, out network))
        {
            return false;
        }

        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return true;
    }
}
