namespace Keywarden.Scanner;

/// <summary>Tells whether a secret is a stored key, or a Keywarden token is a decoy, by the hex SHA-256 of the secret (never the secret itself).</summary>
public interface IKnownKeyLookup
{
    /// <param name="keySha256">Lower-case hex SHA-256 of the secret's UTF-8 bytes, as <c>UpstreamKey.Fingerprint</c> computes it.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    ValueTask<KnownKey?> FindAsync(string keySha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// The decoy a found Keywarden token is, or null when it is none (or the lookup knows no tokens: the default). Asked only
    /// for findings of rule <see cref="ScanRules.KeywardenToken"/>.
    /// </summary>
    /// <param name="tokenSha256">Lower-case hex SHA-256 of the token's bytes, which is what the store keeps of a token.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    ValueTask<KnownDecoy?> FindDecoyAsync(string tokenSha256, CancellationToken cancellationToken = default) => ValueTask.FromResult<KnownDecoy?>(null);
}
