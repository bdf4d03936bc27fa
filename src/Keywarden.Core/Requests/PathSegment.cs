using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Keywarden.Core.Requests;

/// <summary>
/// Decodes one raw path segment exactly once and applies every per-segment rule. Shared by request paths and batch
/// operation paths so that both are judged the same way.
/// </summary>
internal static class PathSegment
{
    // RFC 3986 pchar minus ';' (matrix parameters are refused) and minus '%' (handled as an escape).
    private static readonly SearchValues<char> RawPChar =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@");

    // What the forwarded path leaves unencoded: pchar without ';' and '+' ('+' reads as a space to form decoders,
    // so it is always sent as %2B and no upstream can read it two ways).
    private static readonly SearchValues<char> ForwardSafe =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*,=:@");

    // Unicode look-alikes that NFKC (or a best-fit code page) maps to '/', '\', '.', ';', '%', '?' or '#'.
    private static readonly SearchValues<char> Confusables = SearchValues.Create(
        "\uFF0F\u2215\u2044\u29F8\uFF3C\uFE68\u2216\u29F5\u29F9\uFF0E\uFE52\u2024\u2025\u2026\uFF1B\uFE54\u037E\uFF05\uFE6A\uFF1F\uFE56\uFF03\uFE5F");

    /// <summary>Decodes <paramref name="raw"/> into UTF-8 <paramref name="bytes"/> and UTF-16 <paramref name="chars"/>, both at least raw.Length long.</summary>
    public static CanonicalizationError Decode(
        ReadOnlySpan<char> raw,
        Span<byte> bytes,
        Span<char> chars,
        out int byteCount,
        out int charCount,
        out string? detail)
    {
        byteCount = 0;
        charCount = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
                {
                    detail = "'%' must be followed by two hex digits";
                    return CanonicalizationError.InvalidPercentEncoding;
                }

                var value = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                if (value is (byte)'/' or (byte)'\\')
                {
                    detail = value == '/' ? "encoded '/' (%2F) in a path segment" : "encoded '\\' (%5C) in a path segment";
                    return CanonicalizationError.EncodedSeparator;
                }

                bytes[byteCount++] = value;
                i += 2;
                continue;
            }

            var error = CheckCommon(c, out detail);
            if (error != CanonicalizationError.None)
            {
                return error;
            }

            if (!RawPChar.Contains(c))
            {
                detail = c > 0x7F
                    ? "non-ASCII characters in the path must be percent-encoded"
                    : $"character '{c}' must be percent-encoded in a path";
                return CanonicalizationError.InvalidCharacter;
            }

            bytes[byteCount++] = (byte)c;
        }

        if (Utf8.ToUtf16(bytes[..byteCount], chars, out _, out charCount, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            detail = "percent-encoded bytes are not valid UTF-8";
            return CanonicalizationError.InvalidPercentEncoding;
        }

        var decoded = chars[..charCount];
        for (var i = 0; i < decoded.Length; i++)
        {
            var error = CheckCommon(decoded[i], out detail);
            if (error != CanonicalizationError.None)
            {
                return error;
            }

            if (decoded[i] == '%' && i + 2 < decoded.Length && char.IsAsciiHexDigit(decoded[i + 1]) && char.IsAsciiHexDigit(decoded[i + 2]))
            {
                detail = "the path is percent-encoded twice (e.g. %25xx)";
                return CanonicalizationError.DoubleEncoding;
            }

            if (Confusables.Contains(decoded[i]) || CharUnicodeInfo.GetUnicodeCategory(decoded[i]) == UnicodeCategory.Format)
            {
                detail = $"character U+{(int)decoded[i]:X4} is not allowed in a path (invisible or a look-alike of a separator)";
                return CanonicalizationError.InvalidCharacter;
            }
        }

        detail = null;
        return CanonicalizationError.None;
    }

    /// <summary>True for a decoded segment that is exactly <c>.</c>.</summary>
    public static bool IsDot(ReadOnlySpan<char> decoded) => decoded is ['.'];

    /// <summary>True for a decoded segment that is exactly <c>..</c>.</summary>
    public static bool IsDotDot(ReadOnlySpan<char> decoded) => decoded is ['.', '.'];

    /// <summary>
    /// True for a decoded segment, not a dot segment, that ends in <c>.</c> or a space: some servers strip those
    /// (<c>lists.</c> served as <c>lists</c>, <c>...</c> as <c>..</c>), others do not, so no one reading is canonical.
    /// </summary>
    public static bool HasAmbiguousEnd(ReadOnlySpan<char> decoded) =>
        decoded is [.., '.' or ' '] && !IsDot(decoded) && !IsDotDot(decoded);

    /// <summary>Writes <paramref name="utf8"/> minimally percent-encoded; <paramref name="destination"/> needs 3 chars per byte.</summary>
    public static int Encode(ReadOnlySpan<byte> utf8, Span<char> destination)
    {
        var written = 0;
        foreach (var b in utf8)
        {
            if (b < 0x80 && ForwardSafe.Contains((char)b))
            {
                destination[written++] = (char)b;
            }
            else
            {
                destination[written++] = '%';
                destination[written++] = "0123456789ABCDEF"[b >> 4];
                destination[written++] = "0123456789ABCDEF"[b & 0xF];
            }
        }

        return written;
    }

    private static CanonicalizationError CheckCommon(char c, out string? detail)
    {
        if (c == '\\')
        {
            detail = "backslash in the path";
            return CanonicalizationError.Backslash;
        }

        if (char.IsControl(c))
        {
            detail = $"control character U+{(int)c:X4} in the path";
            return CanonicalizationError.ControlCharacter;
        }

        if (c == ';')
        {
            detail = "';' (matrix parameter) in a path segment";
            return CanonicalizationError.MatrixParameter;
        }

        detail = null;
        return CanonicalizationError.None;
    }

    /// <summary>The value of one ASCII hex digit.</summary>
    public static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
