using System.Net;
using System.Net.Sockets;

namespace Keywarden.Testing;

/// <summary>Ports and clients on 127.0.0.1.</summary>
public static class Loopback
{
    /// <summary>
    /// A port nothing listens on right now (the system picks it, then it is released). Another process may take it
    /// before the test does; servers under test bind port 0 instead wherever they can.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An http address on a port nothing listens on: connections to it are refused.</summary>
    public static Uri ClosedAddress() => new($"http://127.0.0.1:{FreePort()}/");

    /// <summary>Whether <paramref name="port"/> can be bound now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A client for a server under test: relative requests go to <paramref name="baseAddress"/>.</summary>
    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        if (timeout is { } value)
        {
            client.Timeout = value;
        }

        return client;
    }
}
