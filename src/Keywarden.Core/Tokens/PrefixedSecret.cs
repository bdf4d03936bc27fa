using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Core.Tokens;

/// <summary>
/// The shape every secret Keywarden issues shares: a fixed prefix + 30 random base62 characters + 6 base62 characters of
/// the CRC32 of those 30 (big-endian, left-padded with '0'). Greppable by its prefix, and checksummed so a scanner can
/// tell a real secret from noise without a database. The secrets are high-entropy, so SHA-256 is enough to store them.
/// </summary>
public sealed class PrefixedSecret
{
    /// <summary>Number of random characters.</summary>
    public const int RandomLength = 30;

    /// <summary>Number of checksum characters.</summary>
    public const int ChecksumLength = 6;

    /// <summary>A format with the prefix <paramref name="prefix"/>.</summary>
    /// <exception cref="ArgumentException">The prefix is empty or not ASCII letters, digits and '_'.</exception>
    public PrefixedSecret(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("a prefix is ASCII letters, digits and '_'", nameof(prefix));
        }

        Prefix = prefix;
    }

    /// <summary>The fixed prefix, e.g. <c>kw_</c>.</summary>
    public string Prefix { get; }

    /// <summary>Total length of a secret of this format.</summary>
    public int Length => Prefix.Length + RandomLength + ChecksumLength;

    /// <summary>Generates a new secret from the operating system's CSPRNG.</summary>
    public string Generate()
    {
        Span<char> chars = stackalloc char[Length];
        Prefix.CopyTo(chars);
        RandomNumberGenerator.GetItems(Base62.Alphabet, chars.Slice(Prefix.Length, RandomLength));
        WriteChecksum(chars.Slice(Prefix.Length, RandomLength), chars[(Prefix.Length + RandomLength)..]);
        return chars.ToString();
    }

    /// <summary>True when the text is exactly a secret of this format with a valid checksum. No allocation.</summary>
    public bool IsValid(ReadOnlySpan<char> text)
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

    /// <summary>SHA-256 of a secret's text: the only form in which one is stored.</summary>
    public static byte[] ComputeHash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SHA256.HashData(Encoding.ASCII.GetBytes(value));
    }

    /// <summary>Compares a secret with a stored hash in constant time.</summary>
    public static bool Matches(string value, ReadOnlySpan<byte> storedHash) =>
        CryptographicOperations.FixedTimeEquals(ComputeHash(value), storedHash);

    /// <summary>The prefix, e.g. <c>kw_</c> (never a secret).</summary>
    public override string ToString() => Prefix;

    private static void WriteChecksum(ReadOnlySpan<char> random, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        for (var i = 0; i < RandomLength; i++)
        {
            bytes[i] = (byte)random[i];
        }

        Base62.Encode(Crc32.HashToUInt32(bytes), destination);
    }
}
