namespace Keywarden.Core.Crypto;

/// <summary>
/// A secret at rest: the secret encrypted with its own data key, the data key wrapped by the
/// master key named by <see cref="MasterKeyId"/>. Both blobs are
/// <c>version(1) | nonce(12) | tag(16) | ciphertext</c>, bound to the record id as associated data.
/// </summary>
/// <param name="Ciphertext">The secret, encrypted with the data key.</param>
/// <param name="WrappedDataKey">The data key, encrypted with the master key.</param>
/// <param name="MasterKeyId">The id of the master key that wrapped the data key.</param>
public sealed record SealedSecret(byte[] Ciphertext, byte[] WrappedDataKey, string MasterKeyId);
