using System.Net;

namespace Keywarden.AdminApi;

/// <summary>Where the admin API listens (<c>serve --admin-listen</c>) and with which certificate.</summary>
public sealed class AdminApiOptions
{
    /// <summary>The listen address when none is given: loopback only.</summary>
    public const string DefaultListen = "127.0.0.1:8201";

    /// <summary>The largest request body, in bytes (64 KiB): nothing the admin API takes comes near it.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>The address and port to listen on (port 0: any free one).</summary>
    public required IPEndPoint Endpoint { get; init; }

    /// <summary>The TLS certificate (PEM, chain after it), or null for plain HTTP (loopback only).</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The certificate's private key (PEM, unencrypted).</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Whether the listener speaks TLS.</summary>
    public bool IsHttps => TlsCertificateFile is not null;

    /// <summary>
    /// Reads <c>--admin-listen</c> (<c>ADDR:PORT</c>, <c>localhost:PORT</c>, or <c>off</c>) with its certificate files;
    /// null for <c>off</c>. A listener other machines can reach must have TLS: bearer tokens would cross the network in clear.
    /// </summary>
    /// <exception cref="ArgumentException">The address or the certificate options are not usable; the message says why, for the person.</exception>
    public static AdminApiOptions? Parse(string? listen, string? certificateFile, string? keyFile)
    {
        listen ??= DefaultListen;
        if (listen.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if ((certificateFile is null) != (keyFile is null))
        {
            throw new ArgumentException("--admin-tls-cert and --admin-tls-key go together: give both or neither");
        }

        var text = listen.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" + listen["localhost".Length..] : listen;
        if (!IPEndPoint.TryParse(text, out var endpoint) || !text.Contains(':', StringComparison.Ordinal) || text.EndsWith(']'))
        {
            throw new ArgumentException($"invalid --admin-listen '{listen}': expected ADDR:PORT such as {DefaultListen}, or off");
        }

        if (certificateFile is null && !IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException(
                $"the admin API would listen on {endpoint}, which other machines can reach, without TLS: session tokens would cross the network "
                + "in clear. Give --admin-tls-cert and --admin-tls-key, or listen on 127.0.0.1");
        }

        return new AdminApiOptions { Endpoint = endpoint, TlsCertificateFile = certificateFile, TlsKeyFile = keyFile };
    }
}
