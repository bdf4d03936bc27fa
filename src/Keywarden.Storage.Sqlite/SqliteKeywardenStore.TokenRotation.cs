using Keywarden.Storage.Sqlite.Json;

namespace Keywarden.Storage.Sqlite;

/// <summary>Token rotation: a successor and the old token's shortened life, in one transaction.</summary>
public sealed partial class SqliteKeywardenStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The old token is read inside the <c>BEGIN IMMEDIATE</c> transaction, so a concurrent revoke or rotate
    /// is seen; both writes move the revision with the commit, so a gateway sees the successor and the
    /// shortened expiry together.
    /// </remarks>
    public Task<TokenRecord> RotateTokenAsync(string id, TokenRecord successor, DateTimeOffset retireAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(successor);
        ArgumentNullException.ThrowIfNull(successor.Hash);
        var now = successor.CreatedAt;
        return WriteAsync(
            $"rotate token '{id}'",
            async (transaction, ct) =>
            {
                TokenRecord old;
                await using (var read = transaction.Sql($"SELECT {Rows.TokenColumns} FROM tokens WHERE id = $id"))
                {
                    old = await read.With("$id", id).SingleOrDefaultAsync(Rows.ReadToken, ct)
                        ?? throw new StorageException(StorageError.NotFound, $"no token with id '{id}'");
                }

                if (old.RevokedAt is not null)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' is revoked: issue a new token instead");
                }

                if (old.Policy.ExpiresAt is { } expired && expired <= now)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' expired at {expired:u}: issue a new token instead");
                }

                if (old.SupersededBy is { } successorId)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' was already rotated; its successor is '{successorId}'");
                }

                if (successor.UpstreamId != old.UpstreamId)
                {
                    throw new ArgumentException($"the successor of token '{id}' must map to the same upstream", nameof(successor));
                }

                await InsertTokenAsync(transaction, successor, ct);
                var expires = old.Policy.ExpiresAt is { } current && current < retireAt ? current : retireAt;
                var retired = old with
                {
                    Policy = old.Policy with { ExpiresAt = expires },
                    RevokedAt = retireAt <= now ? now : null,
                    SupersededBy = successor.Id,
                };
                await using var update = transaction.Sql("UPDATE tokens SET policy = $policy, revoked_at = $revoked_at WHERE id = $id");
                await update
                    .With("$policy", PolicyJson.Serialize(retired.Policy, retired.SupersededBy))
                    .With("$revoked_at", StoredTime.ToUnixMilliseconds(retired.RevokedAt))
                    .With("$id", id)
                    .ExecuteNonQueryAsync(ct);
                return retired;
            },
            cancellationToken);
    }
}
