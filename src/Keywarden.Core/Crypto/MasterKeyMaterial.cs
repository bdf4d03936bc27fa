namespace Keywarden.Core.Crypto;

/// <summary>
/// A master key's bytes with their id, read together once per operation so that a key replaced meanwhile
/// (<see cref="MasterKey.Replace"/>) never pairs one key's id with the other's bytes.
/// </summary>
/// <param name="Id">The public id of <paramref name="Key"/>.</param>
/// <param name="Key">The 32 key bytes.</param>
internal sealed record MasterKeyMaterial(string Id, byte[] Key);
