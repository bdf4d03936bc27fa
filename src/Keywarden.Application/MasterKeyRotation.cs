using Keywarden.Core.Crypto;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// Re-wraps every data key with a new master key. With a key file the steps are crash-safe:
/// (0) keep the old key as <c>master.key.&lt;time&gt;.previous</c> (0600: backups made before now are sealed under it);
/// (1) write the new key to <c>master.key.next</c>; (2) re-wrap all data keys and record the new
/// key id and the audit record in one database transaction; (3) rename <c>.next</c> over <c>master.key</c>. A crash
/// after (2) is finished by <see cref="Recover"/> on the next start; a crash before it leaves the
/// old key in force and a stale <c>.next</c> that the next rotation overwrites.
/// </summary>
public static class MasterKeyRotation
{
    /// <summary>Rotates to <paramref name="newKey"/>; returns the number of secrets re-wrapped and where the old key was kept.</summary>
    public static Task<MasterKeyRotated> RotateAsync(
        IKeywardenStore store, MasterKeySource source, MasterKey oldKey, MasterKey newKey, CancellationToken cancellationToken = default) =>
        RotateAsync(store, source, oldKey, newKey, TimeProvider.System, AdminAudit.DefaultActor, cancellationToken);

    /// <summary>Rotates to <paramref name="newKey"/> and records it in the audit log as done by <paramref name="actor"/>; returns the number of secrets re-wrapped.</summary>
    public static Task<MasterKeyRotated> RotateAsync(
        IKeywardenStore store, MasterKeySource source, MasterKey oldKey, MasterKey newKey, TimeProvider time, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return RotateAsync(store, source, oldKey, newKey, time, new AdminActor(actor, null), cancellationToken);
    }

    /// <summary>Rotates to <paramref name="newKey"/> and records it in the audit log as done by <paramref name="actor"/> from its address.</summary>
    public static async Task<MasterKeyRotated> RotateAsync(
        IKeywardenStore store, MasterKeySource source, MasterKey oldKey, MasterKey newKey, TimeProvider time, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(oldKey);
        ArgumentNullException.ThrowIfNull(newKey);
        if (oldKey.Id == newKey.Id)
        {
            throw new VaultException(VaultErrorCode.MasterKeySame);
        }

        string? previous = null;
        if (!source.FromEnvironment)
        {
            previous = $"{source.KeyFilePath}.{time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.previous";
            MasterKeySource.WriteKeyFile(previous, oldKey, overwrite: false);
            MasterKeySource.WriteKeyFile(source.NextKeyFilePath, newKey, overwrite: true);
        }

        int count;
        try
        {
            count = await store.RewrapAllAsync(
                (recordId, sealedSecret) =>
                {
                    try
                    {
                        return EnvelopeCipher.Rewrap(oldKey, newKey, recordId, sealedSecret);
                    }
                    catch (KeywardenCryptoException e)
                    {
                        throw new VaultException(VaultErrorCode.RewrapFailed, recordId, e.Message, e);
                    }
                },
                newKey.Id,
                rewrapped => AdminAudit.Entry(
                    time.GetUtcNow(), actor, "master.rotate", newKey.Id, $"{rewrapped} secret(s) re-wrapped; previous master key {oldKey.Id}"),
                cancellationToken);
        }
        catch
        {
            if (!source.FromEnvironment)
            {
                File.Delete(source.NextKeyFilePath);
                File.Delete(previous!); // the old key is still the one in force
            }

            throw;
        }

        if (!source.FromEnvironment)
        {
            File.Move(source.NextKeyFilePath, source.KeyFilePath, overwrite: true);
        }

        return new MasterKeyRotated(count, previous);
    }

    /// <summary>
    /// Rotates the key in force in this process (a running server's): re-wraps everything as
    /// <see cref="RotateAsync(IKeywardenStore, MasterKeySource, MasterKey, MasterKey, TimeProvider, string, CancellationToken)"/>,
    /// then makes <paramref name="newKey"/> the key of every service holding <paramref name="live"/>
    /// (<see cref="MasterKey.Replace"/>), then re-wraps in a second pass any secret a concurrent write sealed under the old
    /// key while the first pass ran (audited as <c>master.rotate.settle</c>), so nothing stays sealed under a retired key.
    /// </summary>
    public static async Task<MasterKeyRotated> RotateInForceAsync(
        IKeywardenStore store, MasterKeySource source, MasterKey live, MasterKey newKey, TimeProvider time, AdminActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(newKey);
        using var old = live.Copy();
        var rotated = await RotateAsync(store, source, old, newKey, time, actor, cancellationToken);
        live.Replace(newKey);
        var late = 0;
        await store.RewrapAllAsync(
            (recordId, sealedSecret) =>
            {
                if (string.Equals(sealedSecret.MasterKeyId, newKey.Id, StringComparison.Ordinal))
                {
                    return sealedSecret;
                }

                late++;
                return EnvelopeCipher.Rewrap(old, newKey, recordId, sealedSecret);
            },
            newKey.Id,
            _ => AdminAudit.Entry(time.GetUtcNow(), actor, "master.rotate.settle", newKey.Id, $"{late} secret(s) written during the rotation re-wrapped"),
            cancellationToken);
        return rotated;
    }

    /// <summary>Completes step (3) when the store already records the key held in <c>master.key.next</c>.</summary>
    public static void Recover(MasterKeySource source, string recordedKeyId)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!File.Exists(source.NextKeyFilePath))
        {
            return;
        }

        using var next = MasterKeySource.LoadFile(source.NextKeyFilePath);
        if (next.Id == recordedKeyId)
        {
            File.Move(source.NextKeyFilePath, source.KeyFilePath, overwrite: true);
        }
    }
}
