using Keywarden.Core.Tokens;

namespace Keywarden.Gateway.Forwarding;

/// <summary>
/// Finds a gateway token in bytes about to be forwarded (a body): the caller's own, even without its prefix, or any
/// well-formed one (checksum included), whoever's it is. A token is never forwarded, as the headers and the URL are
/// checked for any token too. No allocation.
/// </summary>
internal static class TokenBytes
{
    /// <summary>How many trailing bytes a streamed scan holds back, so a token split across reads is seen whole.</summary>
    public const int HoldBack = GatewayToken.Length - 1;

    private static ReadOnlySpan<byte> Prefix => "kw_"u8;

    /// <summary>True when <paramref name="bytes"/> hold <paramref name="secret"/> (the caller's token's random part) or any well-formed token.</summary>
    public static bool AppearIn(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> secret) =>
        bytes.IndexOf(secret) >= 0 || HoldsAnyToken(bytes);

    /// <summary>The caller's token's random part as ASCII bytes: what must never appear in anything forwarded.</summary>
    public static void WriteSecret(GatewayToken token, Span<byte> secret)
    {
        for (var i = 0; i < secret.Length; i++)
        {
            secret[i] = (byte)token.Value[GatewayToken.Prefix.Length + i];
        }
    }

    private static bool HoldsAnyToken(ReadOnlySpan<byte> bytes)
    {
        Span<char> candidate = stackalloc char[GatewayToken.Length];
        var offset = 0;
        int at;
        while ((at = bytes[offset..].IndexOf(Prefix)) >= 0)
        {
            offset += at;
            if (bytes.Length - offset < GatewayToken.Length)
            {
                return false; // cut off here; a streamed scan holds these bytes back and sees them whole with the next read
            }

            for (var i = 0; i < candidate.Length; i++)
            {
                candidate[i] = (char)bytes[offset + i]; // a non-ASCII byte widens to no base62 character
            }

            if (GatewayToken.IsValid(candidate))
            {
                return true;
            }

            offset += Prefix.Length;
        }

        return false;
    }
}
