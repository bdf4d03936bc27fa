using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Core.Crypto;

/// <summary>
/// The 32-byte key that wraps every data key. Comes from <c>KEYWARDEN_MASTER_KEY</c> (base64)
/// or from a key file; never stored beside the data it protects unless the operator chooses so.
/// </summary>
public sealed class MasterKey : IDisposable
{
    /// <summary>Size of a master key in bytes.</summary>
    public const int Size = 32;

    private static readonly byte[] FingerprintLabel = Encoding.ASCII.GetBytes("keywarden master key id v1");
    private readonly byte[] _key;

    private MasterKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(key, FingerprintLabel).AsSpan(0, 8));
    }

    /// <summary>
    /// A public identifier of the key (an HMAC of a fixed label, 16 hex characters). Stored beside
    /// wrapped data keys so that a wrong master key is reported as such, not as tampering.
    /// </summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>Generates a new random master key.</summary>
    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>Creates a master key from its 32 raw bytes (copied).</summary>
    /// <exception cref="KeywardenCryptoException">The length is not 32 bytes.</exception>
    public static MasterKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size
            ? new MasterKey(bytes.ToArray())
            : throw new KeywardenCryptoException($"a master key must be exactly {Size} bytes, got {bytes.Length}");

    /// <summary>Parses the base64 form used by <c>KEYWARDEN_MASTER_KEY</c> and key files.</summary>
    /// <exception cref="KeywardenCryptoException">Not base64 of 32 bytes. The message never contains the text.</exception>
    public static MasterKey FromBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new byte[Size + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != Size)
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw new KeywardenCryptoException(
                $"a master key must be base64 of exactly {Size} random bytes (for example: openssl rand -base64 32)");
        }

        var key = FromBytes(buffer.AsSpan(0, Size));
        CryptographicOperations.ZeroMemory(buffer);
        return key;
    }

    /// <summary>The base64 form, for writing a key file. Handle as a secret.</summary>
    public string ToBase64() => Convert.ToBase64String(_key);

    /// <summary>Shows only the public id.</summary>
    public override string ToString() => $"master key {Id}";

    /// <summary>Zeroes the key bytes.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
