// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Application;

/// <summary>
/// Recovery codes: 10 per enrolment, each 20 base32 characters (100 bits) written in groups of five, e.g.
/// <c>k7mqp-2x9rt-...</c>. High-entropy, so stored as SHA-256 like the other secrets; typed case-insensitively, with or without dashes.
/// </summary>
internal static class RecoveryCodes
{
    /// <summary>How many codes an enrolment gives.</summary>
    public const int Count = 10;

    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/i/l: read off paper
    private const int Length = 20;

    /// <summary>New codes, as shown once.</summary>
    public static IReadOnlyList<string> Generate() =>
        [.. Enumerable.Range(0, Count).Select(_ => string.Join('-', RandomNumberGenerator.GetString(Alphabet, Length).Chunk(5).Select(c => new string(c))))];

    /// <summary>The SHA-256 a code is stored as, or null when the text cannot be a recovery code.</summary>
    public static byte[]? Hash(string typed)
    {
        var normalized = typed.Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return normalized.Length == Length && normalized.All(Alphabet.Contains) ? SHA256.HashData(Encoding.ASCII.GetBytes(normalized)) : null;
    }
}
