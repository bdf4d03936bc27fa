namespace Keywarden.Core.Tokens;

/// <summary>The base62 alphabet of gateway tokens: digits, upper case, lower case.</summary>
public static class Base62
{
    /// <summary>The 62 characters, in value order.</summary>
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>True for a base62 character.</summary>
    public static bool IsBase62(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>Writes <paramref name="value"/> big-endian into <paramref name="destination"/>, left-padded with '0'.</summary>
    /// <exception cref="ArgumentException">The destination is too short for the value.</exception>
    public static void Encode(uint value, Span<char> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        if (value != 0)
        {
            throw new ArgumentException("destination too short for the value", nameof(destination));
        }
    }
}
