using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>
/// Gateway tokens, by hash and accessor id. Every change appends its <c>audit</c> record to the audit log in the
/// same transaction, so a change is never without its record, nor a record without its change.
/// </summary>
public interface ITokenStore
{
    /// <summary>Stores a new token and appends <paramref name="audit"/>.</summary>
    /// <exception cref="StorageException">
    /// Unknown upstream or duplicate id (<see cref="StorageError.Conflict"/>, <see cref="StorageError.NotFound"/>). Nothing is written then.
    /// </exception>
    Task AddTokenAsync(TokenRecord token, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The token of that accessor id, or null.</summary>
    Task<TokenRecord?> FindTokenAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The token whose SHA-256 is <paramref name="hash"/>, or null.</summary>
    Task<TokenRecord?> FindTokenByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>All tokens, newest first; revoked ones included.</summary>
    Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// At most <paramref name="limit"/> tokens in the order of <see cref="ListTokensAsync"/>, after the token
    /// <paramref name="afterId"/> (from the start when null): a keyset page, whose cost does not grow with the number of tokens.
    /// Null when no token has the id <paramref name="afterId"/>.
    /// </summary>
    Task<IReadOnlyList<TokenRecord>?> ListTokensPageAsync(string? afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a token and appends <paramref name="audit"/>. False (and nothing appended) when no such token; true
    /// (the token unchanged, the record appended) when already revoked.
    /// </summary>
    Task<bool> RevokeTokenAsync(string id, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces token <paramref name="id"/> by <paramref name="successor"/> in one transaction: the successor is
    /// stored, and the old token records it as <see cref="TokenRecord.SupersededBy"/> and expires at the earlier
    /// of its expiry and <paramref name="retireAt"/>; when <paramref name="retireAt"/> is not after the
    /// successor's creation time it is revoked at once. Appends the record <paramref name="audit"/> makes of the old
    /// token as it now stands (its shortened expiry or its revocation), and returns that token.
    /// </summary>
    /// <exception cref="StorageException">
    /// No such token (<see cref="StorageError.NotFound"/>); the token is revoked, expired, a decoy or already replaced, or the
    /// successor's id or hash is taken (<see cref="StorageError.Conflict"/>). Nothing is written then.
    /// </exception>
    Task<TokenRecord> RotateTokenAsync(
        string id, TokenRecord successor, DateTimeOffset retireAt, Func<TokenRecord, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Suspends a token (<see cref="TokenRecord.Suspension"/>): the gateway refuses it, as fast as a revocation, until
    /// <see cref="ResumeTokenAsync"/>. Appends <paramref name="audit"/> in the same transaction. True when the token is
    /// suspended by this call; false when it already was: nothing is written then, and the first suspension's time and
    /// reason stand (an anomaly that repeats does not pile up records or move the time).
    /// </summary>
    /// <exception cref="StorageException">
    /// No such token (<see cref="StorageError.NotFound"/>); the token is revoked or a decoy, which no request can use
    /// anyway (<see cref="StorageError.Conflict"/>). Nothing is written then.
    /// </exception>
    Task<bool> SuspendTokenAsync(string id, DateTimeOffset suspendedAt, string reason, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lifts a token's suspension and appends <paramref name="audit"/> in the same transaction. True when the token was
    /// suspended; false when it was not: nothing is written then. A revoked token that was suspended is resumed too (its
    /// suspension is cleared; it stays revoked).
    /// </summary>
    /// <exception cref="StorageException">No such token (<see cref="StorageError.NotFound"/>). Nothing is written then.</exception>
    Task<bool> ResumeTokenAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets what an anomaly alert about token <paramref name="id"/> does (<see cref="TokenRecord.OnAnomaly"/>; null: the
    /// server's default) and appends <paramref name="audit"/> in the same transaction. False (and nothing appended) when the
    /// setting was already that.
    /// </summary>
    /// <exception cref="StorageException">No such token (<see cref="StorageError.NotFound"/>); a decoy (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task<bool> SetOnAnomalyAsync(string id, AnomalyResponse? response, AuditEntry audit, CancellationToken cancellationToken = default);
}
