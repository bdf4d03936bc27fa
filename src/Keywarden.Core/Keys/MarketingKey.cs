using System.Diagnostics.CodeAnalysis;

namespace Keywarden.Core.Keys;

/// <summary>
/// A Mailchimp Marketing API key: 32 lower-case hex characters, a dash, and the datacenter
/// (<c>us1</c> … <c>us99</c>), e.g. the fake <c>0123456789abcdef0123456789abcdef-us21</c> (FAKE, never valid).
/// </summary>
public sealed class MarketingKey : UpstreamKey
{
    private const int HexLength = 32;

    private MarketingKey(string value, string datacenter)
        : base(value) => Datacenter = datacenter;

    /// <inheritdoc />
    public override UpstreamKind Kind => UpstreamKind.Marketing;

    /// <inheritdoc />
    public override Uri DefaultBaseAddress => ApiBaseAddress;

    /// <summary>The datacenter suffix, e.g. <c>us21</c>; it selects <c>https://us21.api.mailchimp.com</c>.</summary>
    public string Datacenter { get; }

    /// <summary>The API base address for this key's datacenter.</summary>
    public Uri ApiBaseAddress => new($"https://{Datacenter}.api.mailchimp.com/");

    /// <summary>The page in the Mailchimp web UI where a person creates and revokes keys of this account.</summary>
    public Uri AdminKeysPage => new($"https://{Datacenter}.admin.mailchimp.com/account/api/");

    /// <summary>Parses a Marketing key, trimming surrounding white space.</summary>
    /// <exception cref="FormatException">Not a Marketing key; the message never contains the input.</exception>
    public static MarketingKey Parse(string text) =>
        TryParse(text, out var key)
            ? key
            : throw new FormatException(
                "not a Mailchimp Marketing API key: expected 32 lower-case hex characters, a dash and a datacenter such as us21");

    /// <summary>Tries to parse a Marketing key, trimming surrounding white space.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MarketingKey? key)
    {
        key = null;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (!TryGetDatacenter(span, out var datacenter))
        {
            return false;
        }

        key = new MarketingKey(span.ToString(), datacenter.ToString());
        return true;
    }

    /// <summary>
    /// Checks the shape of a Marketing key and returns its datacenter. No allocation; used by
    /// the scanner and the gateway as well as by <see cref="TryParse"/>.
    /// </summary>
    public static bool TryGetDatacenter(ReadOnlySpan<char> key, out ReadOnlySpan<char> datacenter)
    {
        datacenter = default;
        // 32 hex + '-' + "us" + 1..2 digits
        if (key.Length is < HexLength + 4 or > HexLength + 5 || key[HexLength] != '-')
        {
            return false;
        }

        foreach (var c in key[..HexLength])
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        var dc = key[(HexLength + 1)..];
        if (!dc.StartsWith("us", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in dc[2..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (dc[2] == '0')
        {
            return false; // "us0" and "us01" are not datacenters
        }

        datacenter = dc;
        return true;
    }
}
