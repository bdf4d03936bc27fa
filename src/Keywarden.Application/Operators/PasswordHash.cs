// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Keywarden.Application;

/// <summary>
/// Argon2id password hashes (libsodium through NSec) in the self-describing PHC string form
/// <c>$argon2id$v=19$m=65536,t=3,p=1$SALT$HASH</c> (unpadded base64): a 16-byte random salt per password, a 32-byte output.
/// A stored hash carries its own cost, so raising the cost later leaves existing hashes verifiable.
/// </summary>
internal static class PasswordHash
{
    /// <summary>The least memory libsodium accepts, in KiB.</summary>
    public const int MinMemoryKib = 8;

    /// <summary>The most memory a stored hash may ask for, in KiB (1 GiB): a damaged or planted hash must not exhaust memory.</summary>
    public const int MaxMemoryKib = 1 << 20;

    /// <summary>The most passes a stored hash may ask for.</summary>
    public const int MaxPasses = 16;

    private const int SaltLength = 16;
    private const int HashLength = 32;

    /// <summary>Hashes <paramref name="password"/> with a new random salt.</summary>
    public static string Hash(string password, int memoryKib, int passes)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Derive(password, salt, memoryKib, passes);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={memoryKib},t={passes},p=1${Unpadded(salt)}${Unpadded(hash)}");
    }

    /// <summary>
    /// True when <paramref name="password"/> is the one <paramref name="stored"/> was made from, compared in constant time.
    /// False (after the same work as a real check, at the given fallback cost) for a string that is not such a hash.
    /// </summary>
    public static bool Verify(string password, string stored, int fallbackMemoryKib, int fallbackPasses)
    {
        if (!TryParse(stored, out var memoryKib, out var passes, out var salt, out var expected))
        {
            _ = Derive(password, new byte[SaltLength], fallbackMemoryKib, fallbackPasses);
            return false;
        }

        var actual = Derive(password, salt, memoryKib, passes);
        try
        {
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    private static byte[] Derive(string password, byte[] salt, int memoryKib, int passes)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(
            new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memoryKib, NumberOfPasses = passes });
        // NFC: the same password typed on another system (composed or decomposed accents) is the same password.
        var bytes = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormC));
        try
        {
            return algorithm.DeriveBytes(bytes, salt, HashLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool TryParse(string stored, out int memoryKib, out int passes, out byte[] salt, out byte[] hash)
    {
        memoryKib = 0;
        passes = 0;
        salt = [];
        hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        var cost = parts[3].Split(',');
        if (cost.Length != 3 || cost[2] != "p=1"
            || !TryReadInt(cost[0], "m=", out memoryKib) || memoryKib is < MinMemoryKib or > MaxMemoryKib
            || !TryReadInt(cost[1], "t=", out passes) || passes is < 1 or > MaxPasses)
        {
            return false;
        }

        return TryDecode(parts[4], out salt) && salt.Length == SaltLength && TryDecode(parts[5], out hash) && hash.Length == HashLength;
    }

    private static bool TryReadInt(string text, string prefix, out int value)
    {
        value = 0;
        return text.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string unpadded, out byte[] bytes)
    {
        var padded = unpadded + new string('=', (4 - (unpadded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
