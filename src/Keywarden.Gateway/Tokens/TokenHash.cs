using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Gateway.Tokens;

/// <summary>SHA-256 of a token as a value type, so a cache lookup allocates nothing.</summary>
internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    public static TokenHash Of(ReadOnlySpan<char> token)
    {
        Span<byte> ascii = stackalloc byte[token.Length];
        var written = Encoding.ASCII.GetBytes(token, ascii);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(ascii[..written], hash);
        return FromBytes(hash);
    }

    public static TokenHash FromBytes(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
}
