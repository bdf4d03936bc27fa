using System.Buffers.Binary;
using System.Globalization;

namespace Keywarden.Scanner.Git;

/// <summary>A SHA-1 object id in 20 bytes instead of a 40-character string: the history scan keeps one per distinct blob.</summary>
internal readonly record struct ObjectId(ulong A, ulong B, uint C)
{
    public const int HexLength = 40;

    public static bool TryParse(ReadOnlySpan<char> hex, out ObjectId id)
    {
        id = default;
        Span<byte> bytes = stackalloc byte[HexLength / 2];
        if (hex.Length != HexLength || Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        id = new ObjectId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
        return true;
    }

    public bool IsZero => A == 0 && B == 0 && C == 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{A:x16}{B:x16}{C:x8}");
}
