using System.Security.Cryptography;

namespace Keywarden.Core.Tokens;

/// <summary>
/// The public id of a gateway token: safe to show, log and audit; names the token in
/// <c>token list</c> and <c>token revoke</c>. Random, unrelated to the token's secret.
/// </summary>
public static class AccessorId
{
    /// <summary>The prefix of accessor ids.</summary>
    public const string Prefix = "tok_";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case
    private const int RandomLength = 12;

    /// <summary>A new random accessor id, e.g. <c>tok_7gq2m0x4k9c1</c>.</summary>
    public static string New() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>True for text shaped like an accessor id.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        if (text.Length != Prefix.Length + RandomLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in text[Prefix.Length..])
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
