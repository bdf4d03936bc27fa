namespace Keywarden.Storage;

/// <summary>Gateway tokens, by hash and accessor id.</summary>
public interface ITokenStore
{
    /// <summary>Stores a new token.</summary>
    /// <exception cref="StorageException">Unknown upstream or duplicate id (<see cref="StorageError.Conflict"/>, <see cref="StorageError.NotFound"/>).</exception>
    Task AddTokenAsync(TokenRecord token, CancellationToken cancellationToken = default);

    /// <summary>The token of that accessor id, or null.</summary>
    Task<TokenRecord?> FindTokenAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The token whose SHA-256 is <paramref name="hash"/>, or null.</summary>
    Task<TokenRecord?> FindTokenByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>All tokens, newest first; revoked ones included.</summary>
    Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes a token. False when no such token; true (and unchanged) when already revoked.</summary>
    Task<bool> RevokeTokenAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces token <paramref name="id"/> by <paramref name="successor"/> in one transaction: the successor is
    /// stored, and the old token records it as <see cref="TokenRecord.SupersededBy"/> and expires at the earlier
    /// of its expiry and <paramref name="retireAt"/>; when <paramref name="retireAt"/> is not after the
    /// successor's creation time it is revoked at once. Returns the old token as it now stands.
    /// </summary>
    /// <exception cref="StorageException">
    /// No such token (<see cref="StorageError.NotFound"/>); the token is revoked, expired or already replaced, or the
    /// successor's id or hash is taken (<see cref="StorageError.Conflict"/>). Nothing is written then.
    /// </exception>
    Task<TokenRecord> RotateTokenAsync(string id, TokenRecord successor, DateTimeOffset retireAt, CancellationToken cancellationToken = default);
}
