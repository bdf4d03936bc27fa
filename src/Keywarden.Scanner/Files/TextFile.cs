using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Keywarden.Scanner.Files;

/// <summary>
/// Opens a file as text: UTF-16 LE/BE by their byte order mark, UTF-8 (its BOM skipped, so columns do not count it),
/// and Latin-1 when the first block is not valid UTF-8; invalid bytes later in a UTF-8 file read as Latin-1 characters.
/// </summary>
internal static class TextFile
{
    private const int SniffBytes = 8 * 1024;

    private static readonly Encoding Utf8WithLatin1Fallback = CreateUtf8();
    private static readonly Encoding Utf16LittleEndian = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
    private static readonly Encoding Utf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: false);

    public static TextFileReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return TextFileReader.Open(stream, leaveOpen: false, Sniff, SniffBytes);
    }

    /// <summary>Opens a stream that cannot seek (a blob from <c>git cat-file</c>) as text; the stream is left open.</summary>
    public static TextFileReader Open(Stream stream) => TextFileReader.Open(stream, leaveOpen: true, Sniff, SniffBytes);

    private static (Encoding Encoding, int Preamble) Sniff(ReadOnlySpan<byte> bytes, bool isFinalBlock)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Utf8WithLatin1Fallback, 3);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Utf16LittleEndian, 2);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Utf16BigEndian, 2);
        }

        return (IsUtf8(bytes, isFinalBlock) ? Utf8WithLatin1Fallback : Encoding.Latin1, 0);
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes, bool isFinalBlock)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length + 1);
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock);
            return status is not OperationStatus.InvalidData;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static Encoding CreateUtf8()
    {
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
        encoding.DecoderFallback = Latin1DecoderFallback.Instance;
        return encoding;
    }
}
