using Keywarden.Scanner;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary>
/// The scanner's view of the store: a found secret's SHA-256 against the stored keys' fingerprints, and a found token's
/// against the stored tokens' hashes (for decoys). No master key, no decryption.
/// </summary>
internal sealed class StoredKeyLookup(IKeywardenStore store) : IKnownKeyLookup
{
    public async ValueTask<KnownKey?> FindAsync(string keySha256, CancellationToken cancellationToken = default)
    {
        var key = await store.FindKeyByFingerprintAsync(keySha256, cancellationToken);
        if (key is null || await store.GetUpstreamAsync(key.UpstreamId, cancellationToken) is not { } upstream)
        {
            return null;
        }

        return new KnownKey(upstream.Name, key.Slot.ToString().ToLowerInvariant());
    }

    public async ValueTask<KnownDecoy?> FindDecoyAsync(string tokenSha256, CancellationToken cancellationToken = default) =>
        await store.FindTokenByHashAsync(Convert.FromHexString(tokenSha256), cancellationToken) is { Decoy: true } token
            ? new KnownDecoy(token.Id, token.Name)
            : null;
}
