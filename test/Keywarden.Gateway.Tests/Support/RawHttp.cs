using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// HTTP/1.1 written by hand over a socket: for request targets and header sets that HttpClient would normalise or
/// refuse to send (backslashes, two Authorization headers, a smuggled Connection list).
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="requestLine"/> and <paramref name="headers"/> (and a body), and returns the status code and the whole answer.</summary>
    /// <param name="baseAddress">Where to connect.</param>
    /// <param name="requestLine">The request line, e.g. <c>GET /3.0/ping HTTP/1.1</c>.</param>
    /// <param name="headers">Header lines, as written.</param>
    /// <param name="body">A body, sent with its Content-Length.</param>
    /// <param name="host">The Host header; the address connected to by default.</param>
    public static async Task<(HttpStatusCode Status, string Text)> SendAsync(
        Uri baseAddress, string requestLine, IEnumerable<string> headers, string? body = null, string? host = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
        await using var stream = client.GetStream();
        var text = new StringBuilder();
        text.Append(requestLine).Append("\r\n");
        text.Append("Host: ").Append(host ?? baseAddress.Authority).Append("\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            text.Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n");
        }

        text.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), ct);
        await stream.WriteAsync(bodyBytes, ct);
        await stream.FlushAsync(ct);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(ct);
        var status = answer.Split(' ', 3);
        return ((HttpStatusCode)int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), answer);
    }

    /// <summary>
    /// Writes <paramref name="request"/> exactly as given (request line, headers, blank line and whatever body, however
    /// malformed or short) and reads until the server closes: for chunked encodings gone wrong and bodies that stall.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Text)> SendExactlyAsync(Uri baseAddress, string request)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        await stream.FlushAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(ct);
        var status = answer.Split(' ', 3);
        return ((HttpStatusCode)int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), answer);
    }
}
