using Keywarden.Core.Tokens;

namespace Keywarden.Scanner.Tests;

/// <summary>Secrets of every kind, made up from a seeded Random so no real-looking secret is a literal in the repository.</summary>
internal sealed class FakeSecrets(int seed)
{
    private const string Hex = "0123456789abcdef";
    private const string KeyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public string Marketing() => Pick(Hex, 32) + "-us" + _random.Next(1, 22);

    public string PrefixedTransactional() => "md-" + Pick(KeyChars, 22);

    /// <summary>A bare key that mixes digits, upper and lower case, as the rule needs.</summary>
    public string BareTransactional()
    {
        while (true)
        {
            var key = "A1b" + Pick(Alphanumeric, 19);
            var chars = key.ToCharArray();
            _random.Shuffle(chars);
            var shuffled = new string(chars);
            if (!Scanner.Detection.Placeholders.IsPlaceholder(shuffled))
            {
                return shuffled;
            }
        }
    }

    public string Token()
    {
        var random = Pick(Base62.Alphabet, GatewayToken.RandomLength);
        Span<byte> bytes = stackalloc byte[random.Length];
        for (var i = 0; i < random.Length; i++)
        {
            bytes[i] = (byte)random[i];
        }

        Span<char> checksum = stackalloc char[GatewayToken.ChecksumLength];
        Base62.Encode(System.IO.Hashing.Crc32.HashToUInt32(bytes), checksum);
        return GatewayToken.Prefix + random + checksum.ToString();
    }

    /// <summary>A token whose checksum is wrong: one checksum character changed.</summary>
    public string TokenWithWrongChecksum()
    {
        var token = Token().ToCharArray();
        token[^1] = token[^1] == 'a' ? 'b' : 'a';
        return new string(token);
    }

    public string Pick(string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        var text = new string(chars);
        // A random body can, rarely, contain a placeholder word ("test", "fake"); draw again so labels stay true.
        return Scanner.Detection.Placeholders.IsPlaceholder(text) ? Pick(alphabet, length) : text;
    }
}
