namespace Keywarden.Scanner;

/// <summary>Tells whether a secret is a stored key, by the hex SHA-256 of the secret (never the secret itself).</summary>
public interface IKnownKeyLookup
{
    /// <param name="keySha256">Lower-case hex SHA-256 of the secret's UTF-8 bytes, as <c>UpstreamKey.Fingerprint</c> computes it.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    ValueTask<KnownKey?> FindAsync(string keySha256, CancellationToken cancellationToken = default);
}
