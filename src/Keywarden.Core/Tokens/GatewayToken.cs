using System.Diagnostics.CodeAnalysis;

namespace Keywarden.Core.Tokens;

/// <summary>
/// A Keywarden gateway token: <c>kw_</c> + 30 random base62 characters + 6 base62 characters of
/// the CRC32 of those 30 (big-endian, left-padded with '0'): a <see cref="PrefixedSecret"/>. Greppable by its prefix, and
/// checksummed so a scanner can tell a real token from noise without a database.
/// Its <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class GatewayToken
{
    /// <summary>The fixed prefix.</summary>
    public const string Prefix = "kw_";

    /// <summary>Number of random characters.</summary>
    public const int RandomLength = PrefixedSecret.RandomLength;

    /// <summary>Number of checksum characters.</summary>
    public const int ChecksumLength = PrefixedSecret.ChecksumLength;

    /// <summary>Total length of a token.</summary>
    public const int Length = 3 + RandomLength + ChecksumLength;

    private static readonly PrefixedSecret Format = new(Prefix);

    private GatewayToken(string value) => Value = value;

    /// <summary>The secret token. Shown once at issue, never stored.</summary>
    public string Value { get; }

    /// <summary>Generates a new token from the operating system's CSPRNG.</summary>
    public static GatewayToken Generate() => new(Format.Generate());

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
    public static bool IsValid(ReadOnlySpan<char> text) => Format.IsValid(text);

    /// <summary>SHA-256 of the token: the only form in which a token is stored.</summary>
    public byte[] ComputeHash() => ComputeHash(Value);

    /// <summary>SHA-256 of a token's text.</summary>
    public static byte[] ComputeHash(string value) => PrefixedSecret.ComputeHash(value);

    /// <summary>Compares this token with a stored hash in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> storedHash) => PrefixedSecret.Matches(Value, storedHash);

    /// <summary>The redacted form: <c>kw_A…(39)</c>.</summary>
    public override string ToString() => Keys.KeyDisplay.Redact(Value);

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
