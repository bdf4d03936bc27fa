using System.Globalization;
using System.Net;

namespace Keywarden.Gateway.Hosting;

/// <summary>
/// One <c>--listen</c> URL: <c>http</c> or <c>https</c>, an IP address (<c>localhost</c> is 127.0.0.1; <c>*</c>,
/// <c>+</c> and <c>0.0.0.0</c> are every IPv4 address, <c>[::]</c> every address) and a port (0: any free one).
/// Kestrel cannot listen on a host name, so none is accepted.
/// </summary>
internal sealed record ListenAddress(string Scheme, IPAddress Address, int Port)
{
    public bool IsHttps => Scheme == Uri.UriSchemeHttps;

    /// <summary>True for 127.0.0.0/8 and ::1: nothing off this machine can reach the listener.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Scheme}://{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}");

    /// <summary>Parses <paramref name="url"/>; false with a sentence for the user when it is not a listen address.</summary>
    public static bool TryParse(string url, out ListenAddress address, out string error)
    {
        address = null!;
        error = $"'{url}' is not a listen address: expected http://IP:PORT or https://IP:PORT, e.g. http://127.0.0.1:8080";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length > 0) || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            // "*" and "+" are no host for Uri: try them by hand.
            return TryParseWildcard(url, ref address, ref error);
        }

        IPAddress? ip = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "0.0.0.0" => IPAddress.Any,
            _ => IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null,
        };
        if (ip is null)
        {
            error = $"'{url}': listen on an IP address (a host name cannot be bound), e.g. {uri.Scheme}://127.0.0.1:{uri.Port}";
            return false;
        }

        address = new ListenAddress(uri.Scheme, ip, uri.Port);
        return true;
    }

    private static bool TryParseWildcard(string url, ref ListenAddress address, ref string error)
    {
        foreach (var scheme in new[] { "http", "https" })
        {
            foreach (var host in new[] { "*", "+" })
            {
                var prefix = $"{scheme}://{host}:";
                if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(url.AsSpan(prefix.Length).TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
                {
                    address = new ListenAddress(scheme, IPAddress.Any, port);
                    error = "";
                    return true;
                }
            }
        }

        return false;
    }
}
