using System.Net;
using Microsoft.Extensions.Primitives;

namespace Keywarden.Gateway.Auth;

/// <summary>
/// The client's address: the socket peer, unless the peer is an explicitly trusted proxy, in which
/// case the right-most <c>X-Forwarded-For</c> entry that is not itself a trusted proxy.
/// </summary>
internal sealed class ClientAddressResolver
{
    private readonly IPNetwork[] _trusted;

    public ClientAddressResolver(IEnumerable<IPNetwork> trustedProxies) => _trusted = [.. trustedProxies];

    public IPAddress Resolve(IPAddress? peer, StringValues forwardedFor)
    {
        var address = Normalize(peer ?? IPAddress.None);
        if (_trusted.Length == 0 || !IsTrusted(address) || StringValues.IsNullOrEmpty(forwardedFor))
        {
            return address;
        }

        // Walk right to left: each hop appended the address it saw.
        for (var v = forwardedFor.Count - 1; v >= 0; v--)
        {
            var entries = (forwardedFor[v] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(entries[i], out var hop))
                {
                    return address; // unreadable chain: judge the proxy itself, which fails closed
                }

                hop = Normalize(hop);
                if (!IsTrusted(hop))
                {
                    return hop;
                }

                address = hop;
            }
        }

        return address;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
