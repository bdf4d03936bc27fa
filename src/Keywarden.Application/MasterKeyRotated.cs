using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>What <see cref="MasterKeyRotation.RotateAsync(IKeywardenStore, MasterKeySource, Core.Crypto.MasterKey, Core.Crypto.MasterKey, CancellationToken)"/> did.</summary>
/// <param name="Rewrapped">How many data keys were re-wrapped.</param>
/// <param name="PreviousKeyFile">Where the old key was kept (0600), for backups sealed under it; null when the key comes from the environment.</param>
public sealed record MasterKeyRotated(int Rewrapped, string? PreviousKeyFile);
