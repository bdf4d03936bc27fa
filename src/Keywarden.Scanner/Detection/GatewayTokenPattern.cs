using Keywarden.Core.Providers;
using Keywarden.Core.Tokens;

namespace Keywarden.Scanner.Detection;

/// <summary>A Keywarden gateway token: <c>kw_</c> + 36 base62 with a valid checksum.</summary>
internal sealed class GatewayTokenPattern() : AnchoredSecretPattern(ScanRules.KeywardenToken, "Keywarden gateway token", GatewayToken.Prefix, GatewayToken.Length)
{
    public override bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length)
    {
        (start, length) = (anchorAt, GatewayToken.Length);
        return anchorAt + GatewayToken.Length <= text.Length && GatewayToken.IsValid(text.Slice(anchorAt, GatewayToken.Length));
    }

    public override Range Body(int length) => GatewayToken.Prefix.Length..(GatewayToken.Prefix.Length + GatewayToken.RandomLength);
}
