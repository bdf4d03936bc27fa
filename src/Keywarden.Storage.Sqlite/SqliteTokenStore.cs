using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;
using Keywarden.Storage.Sqlite.Json;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// Gateway tokens (table <c>tokens</c>), by accessor id and by hash; a rotation's successor and the old token's shortened
/// life in one transaction; suspension and resumption.
/// </summary>
internal sealed class SqliteTokenStore : ITokenStore
{
    private readonly SqliteDatabase _database;

    public SqliteTokenStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    /// <exception cref="StorageException">
    /// The upstream does not exist or was removed (<see cref="StorageError.NotFound"/>); the id or hash is taken (<see cref="StorageError.Conflict"/>).
    /// </exception>
    public Task AddTokenAsync(TokenRecord token, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(token.Hash);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"add token '{token.Id}'",
            async (transaction, ct) =>
            {
                await InsertTokenAsync(transaction, token, ct);
                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<TokenRecord?> FindTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.QuerySingleAsync($"find token '{id}'", $"SELECT {Rows.TokenColumns} FROM tokens WHERE id = $value", id, Rows.ReadToken, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TokenRecord?> FindTokenByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return _database.QuerySingleAsync("find a token by hash", $"SELECT {Rows.TokenColumns} FROM tokens WHERE hash = $value", hash, Rows.ReadToken, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Tokens of removed upstreams are included (revoked).</remarks>
    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        _database.QueryListAsync(
            "list tokens",
            $"SELECT {Rows.TokenColumns} FROM tokens ORDER BY created_at DESC, id DESC",
            value: null,
            Rows.ReadToken,
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>?> ListTokensPageAsync(string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _database.UseConnectionAsync<IReadOnlyList<TokenRecord>?>(
            "list a page of tokens",
            async (connection, ct) =>
            {
                if (afterId is null)
                {
                    await using var first = connection.Sql($"SELECT {Rows.TokenColumns} FROM tokens ORDER BY created_at DESC, id DESC LIMIT $limit");
                    return await first.With("$limit", limit).ListAsync(Rows.ReadToken, ct);
                }

                await using (var exists = connection.Sql("SELECT 1 FROM tokens WHERE id = $id"))
                {
                    if (await exists.With("$id", afterId).ExecuteScalarAsync(ct) is null)
                    {
                        return null;
                    }
                }

                // Row values compare in the ORDER BY's terms: the rows strictly after the cursor's row (tokens_created index).
                await using var next = connection.Sql(
                    $"SELECT {Rows.TokenColumns} FROM tokens WHERE (created_at, id) < (SELECT created_at, id FROM tokens WHERE id = $id) "
                    + "ORDER BY created_at DESC, id DESC LIMIT $limit");
                return await next.With("$id", afterId).With("$limit", limit).ListAsync(Rows.ReadToken, ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"revoke token '{id}'",
            async (transaction, ct) =>
            {
                // coalesce keeps the first revocation time; the row still counts as matched.
                await using (var command = transaction.Sql("UPDATE tokens SET revoked_at = coalesce(revoked_at, $at) WHERE id = $id"))
                {
                    if (await command.With("$at", StoredTime.ToUnixMilliseconds(revokedAt)).With("$id", id).ExecuteNonQueryAsync(ct) != 1)
                    {
                        return false;
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The old token is read inside the <c>BEGIN IMMEDIATE</c> transaction, so a concurrent revoke or rotate
    /// is seen; both writes move the revision with the commit, so a gateway sees the successor and the
    /// shortened expiry together.
    /// </remarks>
    public Task<TokenRecord> RotateTokenAsync(
        string id, TokenRecord successor, DateTimeOffset retireAt, Func<TokenRecord, AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(successor);
        ArgumentNullException.ThrowIfNull(successor.Hash);
        var now = successor.CreatedAt;
        return _database.WriteAsync(
            $"rotate token '{id}'",
            async (transaction, ct) =>
            {
                var old = await ReadAsync(transaction, id, ct);

                if (old.RevokedAt is not null)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' is revoked: issue a new token instead");
                }

                if (old.Decoy)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' is a decoy: issue another decoy instead");
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
                await using (var update = transaction.Sql("UPDATE tokens SET policy = $policy, revoked_at = $revoked_at WHERE id = $id"))
                {
                    await update
                        .With("$policy", PolicyJson.Serialize(retired.Policy, retired.SupersededBy))
                        .With("$revoked_at", StoredTime.ToUnixMilliseconds(retired.RevokedAt))
                        .With("$id", id)
                        .ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit(retired)], ct);
                return retired;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The token is read inside the <c>BEGIN IMMEDIATE</c> transaction, so a concurrent revoke or suspend is seen.</remarks>
    public Task<bool> SuspendTokenAsync(string id, DateTimeOffset suspendedAt, string reason, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"suspend token '{id}'",
            async (transaction, ct) =>
            {
                var token = await ReadAsync(transaction, id, ct);
                if (token.Decoy)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' is a decoy: no request can use it, there is nothing to suspend");
                }

                if (token.RevokedAt is not null)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' is revoked: there is nothing to suspend");
                }

                if (token.Suspension is not null)
                {
                    return false;
                }

                await using (var update = transaction.Sql("UPDATE tokens SET suspended_at = $at, suspended_reason = $reason WHERE id = $id"))
                {
                    await update.With("$at", StoredTime.ToUnixMilliseconds(suspendedAt)).With("$reason", reason).With("$id", id).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ResumeTokenAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"resume token '{id}'",
            async (transaction, ct) =>
            {
                // Matches only a suspended row: an unsuspended one is then told from a missing one by a second read.
                await using (var update = transaction.Sql("UPDATE tokens SET suspended_at = NULL, suspended_reason = NULL WHERE id = $id AND suspended_at IS NOT NULL"))
                {
                    if (await update.With("$id", id).ExecuteNonQueryAsync(ct) == 0)
                    {
                        await ReadAsync(transaction, id, ct);
                        return false;
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetOnAnomalyAsync(string id, AnomalyResponse? response, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"set what an anomaly does to token '{id}'",
            async (transaction, ct) =>
            {
                var token = await ReadAsync(transaction, id, ct);
                if (token.Decoy)
                {
                    throw new StorageException(StorageError.Conflict, $"token '{id}' is a decoy: it is never served, so an anomaly has nothing to act on");
                }

                if (token.OnAnomaly == response)
                {
                    return false;
                }

                await using (var update = transaction.Sql("UPDATE tokens SET on_anomaly = $on_anomaly WHERE id = $id"))
                {
                    await update.With("$on_anomaly", response is { } value ? StoredNames.Of(value) : null).With("$id", id).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <exception cref="StorageException">No such token (<see cref="StorageError.NotFound"/>).</exception>
    private static async Task<TokenRecord> ReadAsync(SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var read = transaction.Sql($"SELECT {Rows.TokenColumns} FROM tokens WHERE id = $id");
        return await read.With("$id", id).SingleOrDefaultAsync(Rows.ReadToken, cancellationToken)
            ?? throw new StorageException(StorageError.NotFound, $"no token with id '{id}'");
    }

    /// <exception cref="StorageException">Unknown or removed upstream (<see cref="StorageError.NotFound"/>), id or hash taken (<see cref="StorageError.Conflict"/>).</exception>
    private static async Task InsertTokenAsync(SqliteTransaction transaction, TokenRecord token, CancellationToken cancellationToken)
    {
        // Selecting from upstreams makes "unknown or removed upstream" an empty insert, not a guess from a constraint message.
        await using var insert = transaction.Sql($"""
            INSERT INTO tokens ({Rows.TokenColumns})
            SELECT $id, $name, id, $hash, $policy, $created_at, $revoked_at, $decoy, $suspended_at, $suspended_reason, $on_anomaly
            FROM upstreams WHERE id = $upstream_id AND removed_at IS NULL
            """);
        int inserted;
        try
        {
            inserted = await insert
                .With("$id", token.Id)
                .With("$name", token.Name)
                .With("$hash", token.Hash)
                .With("$policy", PolicyJson.Serialize(token.Policy, token.SupersededBy))
                .With("$created_at", StoredTime.ToUnixMilliseconds(token.CreatedAt))
                .With("$revoked_at", StoredTime.ToUnixMilliseconds(token.RevokedAt))
                .With("$decoy", token.Decoy ? 1 : 0)
                .With("$suspended_at", StoredTime.ToUnixMilliseconds(token.Suspension?.At))
                .With("$suspended_reason", token.Suspension?.Reason)
                .With("$on_anomaly", token.OnAnomaly is { } response ? StoredNames.Of(response) : null)
                .With("$upstream_id", token.UpstreamId)
                .ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "tokens.id"))
        {
            throw new StorageException(StorageError.Conflict, $"a token with id '{token.Id}' already exists", exception);
        }
        catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "tokens.hash"))
        {
            throw new StorageException(StorageError.Conflict, $"token '{token.Id}' has the same hash as a stored token", exception);
        }

        if (inserted == 0)
        {
            throw new StorageException(StorageError.NotFound, $"no upstream with id '{token.UpstreamId}' exists (it may have been removed)");
        }
    }
}
