using System.Buffers;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>A Marketing key in text: <c>[0-9a-f]{32}-us[0-9]{1,2}</c>, anchored on its <c>-us</c>.</summary>
internal sealed class MarketingKeyPattern() : AnchoredSecretPattern(MailchimpScanRules.MarketingKey, "Mailchimp Marketing API key", "-us", HexLength + 5)
{
    private const int HexLength = 32;

    private static readonly SearchValues<char> HexLower = SearchValues.Create("0123456789abcdef");

    public override bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length)
    {
        (start, length) = (anchorAt - HexLength, 0);
        if (start < 0 || text.Slice(start, HexLength).ContainsAnyExcept(HexLower))
        {
            return false;
        }

        var digits = 0;
        while (digits < 2 && anchorAt + 3 + digits < text.Length && char.IsAsciiDigit(text[anchorAt + 3 + digits]))
        {
            digits++;
        }

        length = HexLength + 3 + digits;
        return digits > 0;
    }

    /// <summary>The hex: <c>-us1</c> is the same in every key.</summary>
    public override Range Body(int length) => ..HexLength;
}
