using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Notifications;

/// <summary>
/// The generic format's signature, in the <c>Keywarden-Signature</c> header: <c>t=UNIX_SECONDS,v1=HEX</c>, where HEX is
/// HMAC-SHA256, keyed with the target's signing secret (its UTF-8 bytes), of <c>UNIX_SECONDS</c>, a full stop and the
/// body's bytes. A receiver recomputes it, compares in constant time, and refuses a timestamp more than a few minutes old
/// (a replay).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header's name.</summary>
    public const string Header = "Keywarden-Signature";

    /// <summary>The header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={seconds},v1={Convert.ToHexStringLower(Mac(secret, seconds, body))}";
    }

    /// <summary>
    /// True when <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>,
    /// made within <paramref name="tolerance"/> of <paramref name="now"/>. What a receiver does; Keywarden's tests use it.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (header is null)
        {
            return false;
        }

        string? seconds = null;
        string? signature = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Trim();
            if (pair.StartsWith("t=", StringComparison.Ordinal))
            {
                seconds = pair[2..];
            }
            else if (pair.StartsWith("v1=", StringComparison.Ordinal))
            {
                signature = pair[3..];
            }
        }

        if (seconds is null || signature is null || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(unix)).Ticks) > tolerance.Ticks)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, seconds, body));
    }

    private static byte[] Mac(string secret, string seconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(seconds + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
