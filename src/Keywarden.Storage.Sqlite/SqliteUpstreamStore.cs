using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// Upstreams and their sealed keys (tables <c>upstreams</c>, <c>upstream_keys</c>) and the store-wide master key id
/// (<c>meta.master_key_id</c>) that every sealed key must match.
/// </summary>
/// <remarks>Removing an upstream keeps its row, marked removed, so the tokens issued for it stay on record.</remarks>
internal sealed class SqliteUpstreamStore : IUpstreamStore, ISecretStore
{
    private const string MasterKeyIdName = "master_key_id";

    private readonly SqliteDatabase _database;

    public SqliteUpstreamStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public Task AddUpstreamAsync(UpstreamRecord upstream, UpstreamKeyRecord currentKey, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(currentKey);
        AuditChain.ThrowIfInvalid(audit);
        if (currentKey.Slot != KeySlot.Current)
        {
            throw new ArgumentException($"the first key of an upstream must be its current key, not {currentKey.Slot}", nameof(currentKey));
        }

        if (!string.Equals(currentKey.UpstreamId, upstream.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"key '{currentKey.Id}' belongs to upstream '{currentKey.UpstreamId}', not '{upstream.Id}'", nameof(currentKey));
        }

        return _database.WriteAsync(
            $"add upstream '{upstream.Name}'",
            async (transaction, ct) =>
            {
                await ClaimMasterKeyIdAsync(transaction, currentKey.Secret.MasterKeyId, ct);
                try
                {
                    await using (var insertUpstream = transaction.Sql(
                        $"INSERT INTO upstreams ({Rows.UpstreamColumns}) VALUES ($id, $name, $kind, $datacenter, $base_url, $account_id, $max_key_age_ms, $created_at)"))
                    {
                        await insertUpstream
                            .With("$id", upstream.Id)
                            .With("$name", upstream.Name)
                            .With("$kind", StoredNames.Of(upstream.Kind))
                            .With("$datacenter", upstream.Datacenter)
                            .With("$base_url", upstream.BaseUrl?.OriginalString)
                            .With("$account_id", upstream.AccountId)
                            .With("$max_key_age_ms", StoredTime.ToMilliseconds(upstream.MaxKeyAge))
                            .With("$created_at", StoredTime.ToUnixMilliseconds(upstream.CreatedAt))
                            .ExecuteNonQueryAsync(ct);
                    }

                    await InsertKeyAsync(transaction, currentKey, ct);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstreams.name"))
                {
                    throw new StorageException(StorageError.Conflict, $"an upstream named '{upstream.Name}' already exists", exception);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstreams.id"))
                {
                    throw new StorageException(StorageError.Conflict, $"an upstream with id '{upstream.Id}' already exists", exception);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstream_keys.id"))
                {
                    throw new StorageException(StorageError.Conflict, $"a key with id '{currentKey.Id}' already exists", exception);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<UpstreamRecord?> FindUpstreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _database.QuerySingleAsync(
            $"find upstream '{name}'",
            $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE name = $value AND removed_at IS NULL",
            name,
            Rows.ReadUpstream,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A removed upstream is not returned, although its row is kept for the history of its tokens.</remarks>
    public Task<UpstreamRecord?> GetUpstreamAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.QuerySingleAsync(
            $"read upstream '{id}'",
            $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE id = $value AND removed_at IS NULL",
            id,
            Rows.ReadUpstream,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Ordered by name, ordinally (byte by byte).</remarks>
    public Task<IReadOnlyList<UpstreamRecord>> ListUpstreamsAsync(CancellationToken cancellationToken = default) =>
        _database.QueryListAsync(
            "list upstreams",
            $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE removed_at IS NULL ORDER BY name",
            value: null,
            Rows.ReadUpstream,
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Previous keys are listed newest first.</remarks>
    public Task<IReadOnlyList<UpstreamKeyRecord>> ListKeysAsync(string upstreamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamId);
        return _database.QueryListAsync(
            $"list the keys of upstream '{upstreamId}'",
            $"""
            SELECT {Rows.KeyColumns} FROM upstream_keys WHERE upstream_id = $value
            ORDER BY CASE slot WHEN 'current' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, created_at DESC, id
            """,
            upstreamId,
            Rows.ReadKey,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A scan of <c>upstream_keys</c>: no index is needed at the scale of one vault's keys.</remarks>
    public Task<UpstreamKeyRecord?> FindKeyByFingerprintAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return _database.QuerySingleAsync(
            "find a key by fingerprint",
            $"""
            SELECT {Rows.KeyColumns} FROM upstream_keys WHERE fingerprint = lower($value)
            ORDER BY CASE slot WHEN 'current' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, created_at DESC, id LIMIT 1
            """,
            fingerprint,
            Rows.ReadKey,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A non-null <paramref name="accountId"/> is recorded on the key's upstream.</remarks>
    /// <exception cref="StorageException">No key has that id (<see cref="StorageError.NotFound"/>).</exception>
    public Task MarkVerifiedAsync(string keyId, string? accountId, DateTimeOffset verifiedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _database.WriteAsync(
            $"record the verification of key '{keyId}'",
            async (transaction, ct) =>
            {
                string upstreamId;
                await using (var markKey = transaction.Sql("UPDATE upstream_keys SET verified_at = $verified_at WHERE id = $id RETURNING upstream_id"))
                {
                    upstreamId = await markKey
                        .With("$verified_at", StoredTime.ToUnixMilliseconds(verifiedAt))
                        .With("$id", keyId)
                        .ScalarAsync<string>(ct)
                        ?? throw new StorageException(StorageError.NotFound, $"no key with id '{keyId}' exists");
                }

                if (accountId is not null)
                {
                    await using var markUpstream = transaction.Sql("UPDATE upstreams SET account_id = $account_id WHERE id = $id");
                    await markUpstream.With("$account_id", accountId).With("$id", upstreamId).ExecuteNonQueryAsync(ct);
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The upstream's row is kept, marked removed, so that its tokens (revoked here, not deleted) keep
    /// their history; its name becomes free for a new upstream. Its keys are deleted and overwritten.
    /// </remarks>
    public async Task<bool> RemoveUpstreamAsync(string name, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        AuditChain.ThrowIfInvalid(audit);
        var removed = await _database.WriteAsync(
            $"remove upstream '{name}'",
            async (transaction, ct) =>
            {
                string? id;
                await using (var find = transaction.Sql("SELECT id FROM upstreams WHERE name = $name AND removed_at IS NULL"))
                {
                    id = await find.With("$name", name).ScalarAsync<string>(ct);
                }

                if (id is null)
                {
                    return false;
                }

                var at = StoredTime.ToUnixMilliseconds(revokedAt);
                // An open rotation of a removed upstream can never finish: it ends as aborted, on record; its sinks go.
                await using (var remove = transaction.Sql("""
                    UPDATE tokens SET revoked_at = $at WHERE upstream_id = $id AND revoked_at IS NULL;
                    INSERT INTO rotation_history (rotation_id, step, from_state, to_state, actor, why, at)
                        SELECT r.id, (SELECT MAX(h.step) + 1 FROM rotation_history h WHERE h.rotation_id = r.id), r.state, 'aborted',
                               'keywarden', 'the upstream was removed', $at
                        FROM rotations r WHERE r.upstream_id = $id AND r.state NOT IN ('revoked', 'aborted');
                    UPDATE rotations SET state = 'aborted', updated_at = $at WHERE upstream_id = $id AND state NOT IN ('revoked', 'aborted');
                    DELETE FROM upstream_sinks WHERE upstream_id = $id;
                    DELETE FROM upstream_keys WHERE upstream_id = $id;
                    UPDATE upstreams SET removed_at = $at WHERE id = $id;
                    """))
                {
                    await remove.With("$at", at).With("$id", id).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);

        if (removed)
        {
            await _database.TruncateWriteAheadLogAsync(cancellationToken);
        }

        return removed;
    }

    /// <inheritdoc />
    public Task<string?> GetMasterKeyIdAsync(CancellationToken cancellationToken = default) =>
        _database.UseConnectionAsync(
            "read the master key id",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("SELECT value FROM meta WHERE key = $key");
                return await command.With("$key", MasterKeyIdName).ScalarAsync<string>(ct);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <exception cref="StorageException">A different master key id is recorded (<see cref="StorageError.Conflict"/>).</exception>
    public Task SetMasterKeyIdAsync(string masterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(masterKeyId);
        return _database.WriteAsync(
            "record the master key id",
            async (transaction, ct) =>
            {
                await ClaimMasterKeyIdAsync(transaction, masterKeyId, ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The callbacks run inside the write transaction; if one throws, its exception propagates unchanged
    /// and nothing is written. <paramref name="rewrap"/> must return a secret sealed for <paramref name="newMasterKeyId"/>.
    /// </remarks>
    public async Task<int> RewrapAllAsync(
        Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, Func<int, AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrap);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(newMasterKeyId);
        var count = await _database.WriteAsync(
            "re-wrap the stored keys",
            async (transaction, ct) =>
            {
                var keys = await SealedColumns.RewrapAsync(transaction, "upstream_keys", "key", rewrap, newMasterKeyId, ct);
                var targets = await SqliteNotificationStore.RewrapAllAsync(transaction, rewrap, newMasterKeyId, ct);
                var totp = await SqliteOperatorStore.RewrapAllAsync(transaction, rewrap, newMasterKeyId, ct);
                await using (var record = transaction.Sql(
                    "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
                {
                    await record.With("$key", MasterKeyIdName).With("$value", newMasterKeyId).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit(keys + targets + totp)], ct);
                return keys + targets + totp;
            },
            cancellationToken);

        await _database.TruncateWriteAheadLogAsync(cancellationToken);
        return count;
    }

    /// <summary>Records <paramref name="masterKeyId"/> when the store has none; refuses a different one.</summary>
    internal static async Task ClaimMasterKeyIdAsync(SqliteTransaction transaction, string masterKeyId, CancellationToken cancellationToken)
    {
        await using (var insert = transaction.Sql("INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO NOTHING"))
        {
            await insert.With("$key", MasterKeyIdName).With("$value", masterKeyId).ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = transaction.Sql("SELECT value FROM meta WHERE key = $key");
        var recorded = await read.With("$key", MasterKeyIdName).ScalarAsync<string>(cancellationToken);
        if (!string.Equals(recorded, masterKeyId, StringComparison.Ordinal))
        {
            throw new StorageException(
                StorageError.Conflict,
                $"this store's secrets are sealed with master key {recorded}, not {masterKeyId}: "
                + "use the original KEYWARDEN_MASTER_KEY or key file, or rotate the master key first");
        }
    }

    /// <summary>Inserts <paramref name="key"/> (an upstream's first key, or a rotation's pending one) inside the caller's transaction.</summary>
    internal static async Task InsertKeyAsync(SqliteTransaction transaction, UpstreamKeyRecord key, CancellationToken cancellationToken)
    {
        await using var insert = transaction.Sql($"""
            INSERT INTO upstream_keys ({Rows.KeyColumns})
            VALUES ($id, $upstream_id, $slot, $prefix, $label, $fingerprint, $ciphertext, $wrapped_data_key, $master_key_id, $created_at, $verified_at)
            """);
        await insert
            .With("$id", key.Id)
            .With("$upstream_id", key.UpstreamId)
            .With("$slot", StoredNames.Of(key.Slot))
            .With("$prefix", key.Prefix)
            .With("$label", key.Label)
            .With("$fingerprint", key.Fingerprint)
            .With("$ciphertext", key.Secret.Ciphertext)
            .With("$wrapped_data_key", key.Secret.WrappedDataKey)
            .With("$master_key_id", key.Secret.MasterKeyId)
            .With("$created_at", StoredTime.ToUnixMilliseconds(key.CreatedAt))
            .With("$verified_at", StoredTime.ToUnixMilliseconds(key.VerifiedAt))
            .ExecuteNonQueryAsync(cancellationToken);
    }
}
