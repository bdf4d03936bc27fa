using System.Security.Cryptography;

namespace Keywarden.Sandbox.Common;

/// <summary>Random identifiers and secrets, all from the CSPRNG (ids are not secret, but nothing here should be guessable).</summary>
internal static class Ids
{
    private const string LowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string MandrillKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    public static string Hex(int length) => RandomNumberGenerator.GetHexString(length, lowercase: true);

    public static string LowerAlnum(int length) => RandomNumberGenerator.GetString(LowerAlphanumeric, length);

    public static string Digits(int length) =>
        RandomNumberGenerator.GetInt32(1, 10).ToString() + RandomNumberGenerator.GetString("0123456789", length - 1);

    public static int WebId() => RandomNumberGenerator.GetInt32(100_000, 999_999_999);

    public static string MarketingKey(string datacenter) => Hex(32) + "-" + datacenter;

    public static string TransactionalKey() => "md-" + RandomNumberGenerator.GetString(MandrillKeyAlphabet, 22);
}
