using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Core.Crypto;

/// <summary>
/// Envelope encryption of secrets: AES-256-GCM per secret with a fresh data key, the data key
/// wrapped with AES-256-GCM by the master key. The record id is associated data of both, so a
/// ciphertext copied to another record does not open.
/// </summary>
public static class EnvelopeCipher
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;
    private const int DataKeySize = 32;

    /// <summary>Encrypts <paramref name="plaintext"/> for the record <paramref name="recordId"/>.</summary>
    public static SealedSecret Seal(MasterKey masterKey, string recordId, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentException.ThrowIfNullOrEmpty(recordId);

        Span<byte> dataKey = stackalloc byte[DataKeySize];
        RandomNumberGenerator.Fill(dataKey);
        try
        {
            var material = masterKey.Material;
            var ciphertext = Encrypt(dataKey, plaintext, SecretAad(recordId));
            var wrapped = Encrypt(material.Key, dataKey, DataKeyAad(recordId));
            return new SealedSecret(ciphertext, wrapped, material.Id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Encrypts a UTF-8 string secret.</summary>
    public static SealedSecret Seal(MasterKey masterKey, string recordId, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var bytes = Encoding.UTF8.GetBytes(plaintext);
        try
        {
            return Seal(masterKey, recordId, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Decrypts a secret sealed for <paramref name="recordId"/>.</summary>
    /// <exception cref="KeywardenCryptoException">Wrong master key, tampered or moved ciphertext.</exception>
    public static byte[] Open(MasterKey masterKey, string recordId, SealedSecret sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        ArgumentException.ThrowIfNullOrEmpty(recordId);

        Span<byte> dataKey = stackalloc byte[DataKeySize];
        try
        {
            UnwrapDataKey(masterKey.Material, recordId, sealedSecret, dataKey);
            var plaintext = new byte[PayloadLength(sealedSecret.Ciphertext, recordId, "secret")];
            if (!TryDecrypt(dataKey, sealedSecret.Ciphertext, SecretAad(recordId), plaintext))
            {
                throw new KeywardenCryptoException(
                    $"secret '{recordId}' failed authentication: its ciphertext was altered or copied from another record");
            }

            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Decrypts a UTF-8 string secret.</summary>
    public static string OpenString(MasterKey masterKey, string recordId, SealedSecret sealedSecret)
    {
        var bytes = Open(masterKey, recordId, sealedSecret);
        try
        {
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Re-wraps the data key of a secret under a new master key. The secret's own ciphertext is
    /// unchanged, so master key rotation never touches secret plaintext.
    /// </summary>
    public static SealedSecret Rewrap(MasterKey oldKey, MasterKey newKey, string recordId, SealedSecret sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(oldKey);
        ArgumentNullException.ThrowIfNull(newKey);
        ArgumentNullException.ThrowIfNull(sealedSecret);

        Span<byte> dataKey = stackalloc byte[DataKeySize];
        try
        {
            UnwrapDataKey(oldKey.Material, recordId, sealedSecret, dataKey);
            var material = newKey.Material;
            return sealedSecret with
            {
                WrappedDataKey = Encrypt(material.Key, dataKey, DataKeyAad(recordId)),
                MasterKeyId = material.Id,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static void UnwrapDataKey(MasterKeyMaterial masterKey, string recordId, SealedSecret sealedSecret, Span<byte> dataKey)
    {
        if (!string.Equals(sealedSecret.MasterKeyId, masterKey.Id, StringComparison.Ordinal))
        {
            throw new KeywardenCryptoException(
                $"secret '{recordId}' was sealed with master key {sealedSecret.MasterKeyId}, but the configured master key is {masterKey.Id}: wrong KEYWARDEN_MASTER_KEY or key file");
        }

        if (PayloadLength(sealedSecret.WrappedDataKey, recordId, "data key") != DataKeySize
            || !TryDecrypt(masterKey.Key, sealedSecret.WrappedDataKey, DataKeyAad(recordId), dataKey))
        {
            throw new KeywardenCryptoException(
                $"the data key of secret '{recordId}' failed authentication: it was altered or copied from another record");
        }
    }

    private static int PayloadLength(byte[] blob, string recordId, string what) =>
        blob.Length >= HeaderSize && blob[0] == Version
            ? blob.Length - HeaderSize
            : throw new KeywardenCryptoException($"the {what} of secret '{recordId}' is malformed or of an unknown version");

    private static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, byte[] aad)
    {
        var blob = new byte[HeaderSize + plaintext.Length];
        blob[0] = Version;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, blob.AsSpan(HeaderSize), blob.AsSpan(1 + NonceSize, TagSize), aad);
        return blob;
    }

    private static bool TryDecrypt(ReadOnlySpan<byte> key, byte[] blob, byte[] aad, Span<byte> plaintext)
    {
        try
        {
            using var gcm = new AesGcm(key, TagSize);
            gcm.Decrypt(blob.AsSpan(1, NonceSize), blob.AsSpan(HeaderSize), blob.AsSpan(1 + NonceSize, TagSize), plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    private static byte[] SecretAad(string recordId) => Encoding.UTF8.GetBytes("keywarden:secret:v1:" + recordId);

    private static byte[] DataKeyAad(string recordId) => Encoding.UTF8.GetBytes("keywarden:data-key:v1:" + recordId);
}
