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

    /// <summary>Keys this object held before a <see cref="Replace"/>: zeroed on <see cref="Dispose"/>, not before (an operation may still use one).</summary>
    private readonly List<MasterKeyMaterial> _retired = [];

    private volatile MasterKeyMaterial _material;

    private MasterKey(byte[] key) =>
        _material = new MasterKeyMaterial(Convert.ToHexStringLower(HMACSHA256.HashData(key, FingerprintLabel).AsSpan(0, 8)), key);

    /// <summary>
    /// A public identifier of the key (an HMAC of a fixed label, 16 hex characters). Stored beside
    /// wrapped data keys so that a wrong master key is reported as such, not as tampering.
    /// </summary>
    public string Id => _material.Id;

    /// <summary>The key's id and bytes, to be read once per operation.</summary>
    internal MasterKeyMaterial Material => _material;

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
    public string ToBase64() => Convert.ToBase64String(_material.Key);

    /// <summary>An independent copy of the key in force now (the copy is not affected by a later <see cref="Replace"/>).</summary>
    public MasterKey Copy() => FromBytes(_material.Key);

    /// <summary>
    /// Makes <paramref name="next"/>'s key (copied) the one in force for every holder of this object from their next
    /// operation on: how a running server switches to a new master key after a rotation without restarting. An operation
    /// under way finishes with the key it started with.
    /// </summary>
    public void Replace(MasterKey next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var replaced = next._material;
        lock (_retired)
        {
            _retired.Add(_material);
            _material = new MasterKeyMaterial(replaced.Id, replaced.Key.ToArray());
        }
    }

    /// <summary>Shows only the public id.</summary>
    public override string ToString() => $"master key {Id}";

    /// <summary>Zeroes the key bytes, and those of every key it held before.</summary>
    public void Dispose()
    {
        lock (_retired)
        {
            CryptographicOperations.ZeroMemory(_material.Key);
            foreach (var retired in _retired)
            {
                CryptographicOperations.ZeroMemory(retired.Key);
            }
        }
    }
}
