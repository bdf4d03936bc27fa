// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using OtpNet;

namespace Keywarden.Application;

/// <summary>
/// RFC 6238 TOTP as authenticator apps do it by default (Otp.NET): HMAC-SHA-1, 6 digits, 30-second steps, a code of the
/// step before or after accepted for clock drift. Replay protection is the store's: it accepts a step only once.
/// </summary>
internal static class TotpCodes
{
    /// <summary>The issuer shown in authenticator apps.</summary>
    public const string Issuer = "Keywarden";

    private const int SecretLength = 20; // 160 bits, RFC 4226's recommendation for HMAC-SHA-1
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>A new random secret.</summary>
    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(SecretLength);

    /// <summary>The secret as authenticator apps take it typed: base32.</summary>
    public static string ToBase32(byte[] secret) => Base32Encoding.ToString(secret);

    /// <summary>The secret from its base32 form.</summary>
    public static byte[] FromBase32(string secret) => Base32Encoding.ToBytes(secret);

    /// <summary>The <c>otpauth://</c> URI an authenticator app scans.</summary>
    public static string Uri(string accountName, string base32Secret) =>
        $"otpauth://totp/{Issuer}:{System.Uri.EscapeDataString(accountName)}?secret={base32Secret}&issuer={Issuer}";

    /// <summary>True when <paramref name="code"/> looks like a TOTP code: 6 ASCII digits (spaces ignored).</summary>
    public static bool LooksLikeCode(string code, out string digits)
    {
        digits = code.Replace(" ", string.Empty, StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit);
    }

    /// <summary>The time step of the code when it is right for <paramref name="now"/> within the window, else null.</summary>
    public static long? Verify(byte[] secret, string digits, DateTimeOffset now) =>
        new Totp(secret, step: 30, mode: OtpHashMode.Sha1, totpSize: 6).VerifyTotp(now.UtcDateTime, digits, out var step, Window) ? step : null;
}
