using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Core.Tokens;

/// <summary>
/// A Keywarden gateway token: <c>kw_</c> + 30 random base62 characters + 6 base62 characters of
/// the CRC32 of those 30 (big-endian, left-padded with '0'). Greppable by its prefix, and
/// checksummed so a scanner can tell a real token from noise without a database.
/// Its <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class GatewayToken
{
    /// <summary>The fixed prefix.</summary>
    public const string Prefix = "kw_";

    /// <summary>Number of random characters.</summary>
    public const int RandomLength = 30;

    /// <summary>Number of checksum characters.</summary>
    public const int ChecksumLength = 6;

    /// <summary>Total length of a token.</summary>
    public const int Length = 3 + RandomLength + ChecksumLength;

    private GatewayToken(string value) => Value = value;

    /// <summary>The secret token. Shown once at issue, never stored.</summary>
    public string Value { get; }

    /// <summary>Generates a new token from the operating system's CSPRNG.</summary>
    public static GatewayToken Generate()
    {
        Span<char> chars = stackalloc char[Length];
        Prefix.CopyTo(chars);
        RandomNumberGenerator.GetItems(Base62.Alphabet, chars.Slice(Prefix.Length, RandomLength));
        WriteChecksum(chars.Slice(Prefix.Length, RandomLength), chars[(Prefix.Length + RandomLength)..]);
        return new GatewayToken(chars.ToString());
    }

    /// <summary>Parses a token and checks its checksum.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out GatewayToken? token)
    {
        token = IsValid(text) ? new GatewayToken(text.ToString()) : null;
        return token is not null;
    }

    /// <summary>
    /// Parses a token as an application presents it: some Mailchimp libraries derive the
    /// datacenter from the key's suffix, so a token may carry a <c>-us21</c> style suffix,
    /// which is ignored.
    /// </summary>
    public static bool TryParsePresented(ReadOnlySpan<char> text, [NotNullWhen(true)] out GatewayToken? token)
    {
        if (text.Length > Length && text[Length] == '-' && IsDatacenterSuffix(text[(Length + 1)..]))
        {
            text = text[..Length];
        }

        return TryParse(text, out token);
    }

    /// <summary>True when the text is exactly a token with a valid checksum. No allocation.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        if (text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in text[Prefix.Length..])
        {
            if (!Base62.IsBase62(c))
            {
                return false;
            }
        }

        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(text.Slice(Prefix.Length, RandomLength), expected);
        return expected.SequenceEqual(text[(Prefix.Length + RandomLength)..]);
    }

    /// <summary>SHA-256 of the token: the only form in which a token is stored.</summary>
    public byte[] ComputeHash() => ComputeHash(Value);

    /// <summary>SHA-256 of a token's text.</summary>
    public static byte[] ComputeHash(string value) => SHA256.HashData(Encoding.ASCII.GetBytes(value));

    /// <summary>Compares this token with a stored hash in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> storedHash) =>
        CryptographicOperations.FixedTimeEquals(ComputeHash(), storedHash);

    /// <summary>The redacted form: <c>kw_A…(39)</c>.</summary>
    public override string ToString() => Keys.KeyDisplay.Redact(Value);

    private static void WriteChecksum(ReadOnlySpan<char> random, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        for (var i = 0; i < RandomLength; i++)
        {
            bytes[i] = (byte)random[i];
        }

        Base62.Encode(Crc32.HashToUInt32(bytes), destination);
    }

    private static bool IsDatacenterSuffix(ReadOnlySpan<char> suffix)
    {
        if (suffix.Length is < 3 or > 4 || !suffix.StartsWith("us", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in suffix[2..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
