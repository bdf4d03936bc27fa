using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Keywarden.Monitoring.Baselines;

/// <summary>
/// A client address's network as one number: IPv4 /24 (an IPv4-mapped IPv6 address counts as IPv4) or IPv6 /48. The
/// prefixes are where one operator's hosts usually sit: a deploy moving an app to another address keeps its /24 (cloud
/// subnets) or /48 (an IPv6 site), while a different place is a different network.
/// </summary>
internal static class ClientNetwork
{
    /// <summary>No address, or one that does not parse.</summary>
    public const long None = -1;

    private const long V4Tag = 1L << 56;
    private const long V6Tag = 2L << 56;

    /// <summary>The network of <paramref name="address"/>, or <see cref="None"/>.</summary>
    public static long Of(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return None;
        }

        if (TryParseV4(address, out var v4))
        {
            return V4Tag | (v4 >> 8);
        }

        if (!IPAddress.TryParse(address, out var parsed))
        {
            return None;
        }

        if (parsed.IsIPv4MappedToIPv6)
        {
            parsed = parsed.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!parsed.TryWriteBytes(bytes, out var length))
        {
            return None;
        }

        return parsed.AddressFamily == AddressFamily.InterNetwork
            ? V4Tag | (BinaryPrimitives.ReadUInt32BigEndian(bytes) >> 8)
            : length == 16 ? V6Tag | (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16) : None;
    }

    /// <summary>The network in the usual notation: <c>203.0.113.0/24</c>, <c>2001:db8:1::/48</c>.</summary>
    public static string Describe(long network)
    {
        if ((network & V4Tag) != 0 && (network & V6Tag) == 0)
        {
            var prefix = (uint)(network & 0xFFFFFF) << 8;
            return $"{prefix >> 24}.{(prefix >> 16) & 0xFF}.{(prefix >> 8) & 0xFF}.0/24";
        }

        if ((network & V6Tag) != 0)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)(network & 0xFFFF_FFFF_FFFF) << 16);
            return new IPAddress(bytes) + "/48";
        }

        return "unknown";
    }

    /// <summary>Dotted-quad IPv4 without allocating (the common case); anything else is left to <see cref="IPAddress"/>.</summary>
    private static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var octets = 0;
        var current = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                current = (current * 10) + (c - '0');
                if (++digits > 3 || current > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && octets < 3)
            {
                value = (value << 8) | (uint)current;
                octets++;
                current = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || octets != 3)
        {
            return false;
        }

        value = (value << 8) | (uint)current;
        return true;
    }
}
