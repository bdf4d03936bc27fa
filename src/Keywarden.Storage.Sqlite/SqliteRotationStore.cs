using Keywarden.Core.Audit;
using Keywarden.Core.Rotation;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>Rotations (tables <c>rotations</c>, <c>rotation_history</c>), sinks (<c>upstream_sinks</c>) and key ages.</summary>
internal sealed class SqliteRotationStore : IRotationStore
{
    private readonly SqliteDatabase _database;

    public SqliteRotationStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public Task StartRotationAsync(RotationRecord rotation, RotationTransition opening, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(audit);
        if (opening.From is not null || opening.To != rotation.State)
        {
            throw new ArgumentException("the opening step must come from nowhere and enter the rotation's state", nameof(opening));
        }

        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"open rotation '{rotation.Id}'",
            async (transaction, ct) =>
            {
                await using (var insert = transaction.Sql($"""
                    INSERT INTO rotations ({Rows.RotationColumns})
                    SELECT $id, id, $state, $reason, $note, $old_key_id, $new_key_id, $created_at, $updated_at
                    FROM upstreams WHERE id = $upstream_id AND removed_at IS NULL
                    """))
                {
                    int inserted;
                    try
                    {
                        inserted = await insert
                            .With("$id", rotation.Id)
                            .With("$state", RotationMachine.Describe(rotation.State))
                            .With("$reason", RotationMachine.Describe(rotation.Reason))
                            .With("$note", rotation.Note)
                            .With("$old_key_id", rotation.OldKeyId)
                            .With("$new_key_id", rotation.NewKeyId)
                            .With("$created_at", StoredTime.ToUnixMilliseconds(rotation.CreatedAt))
                            .With("$updated_at", StoredTime.ToUnixMilliseconds(rotation.UpdatedAt))
                            .With("$upstream_id", rotation.UpstreamId)
                            .ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "rotations.upstream_id"))
                    {
                        throw new StorageException(StorageError.Conflict, $"upstream '{rotation.UpstreamId}' already has an open rotation", exception);
                    }

                    if (inserted == 0)
                    {
                        throw new StorageException(StorageError.NotFound, $"no upstream with id '{rotation.UpstreamId}' exists (it may have been removed)");
                    }
                }

                await InsertHistoryAsync(transaction, rotation.Id, 1, opening, ct);
                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task AdvanceRotationAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        StepAsync(rotationId, transition, audit, effect: null, cancellationToken);

    /// <inheritdoc />
    public Task StagePendingKeyAsync(string rotationId, UpstreamKeyRecord pendingKey, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pendingKey);
        if (pendingKey.Slot != KeySlot.Pending)
        {
            throw new ArgumentException($"a staged key goes in the pending slot, not {pendingKey.Slot}", nameof(pendingKey));
        }

        return StepAsync(
            rotationId,
            transition,
            audit,
            async (transaction, rotation, ct) =>
            {
                if (!string.Equals(pendingKey.UpstreamId, rotation.UpstreamId, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"key '{pendingKey.Id}' belongs to upstream '{pendingKey.UpstreamId}', not '{rotation.UpstreamId}'", nameof(pendingKey));
                }

                await SqliteUpstreamStore.ClaimMasterKeyIdAsync(transaction, pendingKey.Secret.MasterKeyId, ct);
                try
                {
                    await SqliteUpstreamStore.InsertKeyAsync(transaction, pendingKey, ct);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstream_keys"))
                {
                    throw new StorageException(StorageError.Conflict, $"upstream '{rotation.UpstreamId}' already has a pending key", exception);
                }

                await SetNewKeyAsync(transaction, rotation.Id, pendingKey.Id, ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task DropPendingKeyAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        StepAsync(
            rotationId,
            transition,
            audit,
            async (transaction, rotation, ct) =>
            {
                await using (var delete = transaction.Sql("DELETE FROM upstream_keys WHERE id = $id AND slot = 'pending'"))
                {
                    await delete.With("$id", rotation.NewKeyId ?? "").ExecuteNonQueryAsync(ct);
                }

                await SetNewKeyAsync(transaction, rotation.Id, null, ct);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Current moves to previous before pending moves to current: the unique index allows one of each.</remarks>
    public Task PromoteAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        StepAsync(
            rotationId,
            transition,
            audit,
            async (transaction, rotation, ct) =>
            {
                await MoveKeyAsync(transaction, rotation.OldKeyId, "current", "previous", ct);
                await MoveKeyAsync(transaction, rotation.NewKeyId ?? "", "pending", "current", ct);
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task DropPreviousKeyAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await StepAsync(
            rotationId,
            transition,
            audit,
            async (transaction, rotation, ct) =>
            {
                await using var delete = transaction.Sql("DELETE FROM upstream_keys WHERE id = $id AND slot = 'previous'");
                await delete.With("$id", rotation.OldKeyId).ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
        await _database.TruncateWriteAheadLogAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<RotationRecord?> FindOpenRotationAsync(string upstreamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamId);
        return _database.QuerySingleAsync(
            $"find the open rotation of upstream '{upstreamId}'",
            $"SELECT {Rows.RotationReadColumns} FROM rotations WHERE upstream_id = $value AND state NOT IN ('revoked', 'aborted')",
            upstreamId,
            Rows.ReadRotation,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RotationRecord>> ListRotationsAsync(string upstreamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamId);
        return _database.QueryListAsync(
            $"list the rotations of upstream '{upstreamId}'",
            $"SELECT {Rows.RotationReadColumns} FROM rotations WHERE upstream_id = $value ORDER BY created_at DESC, rowid DESC",
            upstreamId,
            Rows.ReadRotation,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RotationTransition>> ListRotationHistoryAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rotationId);
        return _database.QueryListAsync(
            $"read the history of rotation '{rotationId}'",
            "SELECT from_state, to_state, actor, why, at FROM rotation_history WHERE rotation_id = $value ORDER BY step",
            rotationId,
            Rows.ReadTransition,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetMaxKeyAgeAsync(string upstreamId, TimeSpan maxKeyAge, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxKeyAge, TimeSpan.Zero);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"set the maximum key age of upstream '{upstreamId}'",
            async (transaction, ct) =>
            {
                await using (var update = transaction.Sql("UPDATE upstreams SET max_key_age_ms = $ms WHERE id = $id AND removed_at IS NULL"))
                {
                    if (await update.With("$ms", StoredTime.ToMilliseconds(maxKeyAge)).With("$id", upstreamId).ExecuteNonQueryAsync(ct) == 0)
                    {
                        throw new StorageException(StorageError.NotFound, $"no upstream with id '{upstreamId}' exists");
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task AddSinkAsync(SinkRecord sink, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"add sink '{sink.Id}'",
            async (transaction, ct) =>
            {
                await using (var insert = transaction.Sql(
                    "INSERT INTO upstream_sinks (id, upstream_id, spec, created_at) SELECT $id, id, $spec, $created_at FROM upstreams WHERE id = $upstream_id AND removed_at IS NULL"))
                {
                    var inserted = await insert
                        .With("$id", sink.Id)
                        .With("$spec", sink.Spec)
                        .With("$created_at", StoredTime.ToUnixMilliseconds(sink.CreatedAt))
                        .With("$upstream_id", sink.UpstreamId)
                        .ExecuteNonQueryAsync(ct);
                    if (inserted == 0)
                    {
                        throw new StorageException(StorageError.NotFound, $"no upstream with id '{sink.UpstreamId}' exists");
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SinkRecord>> ListSinksAsync(string? upstreamId, CancellationToken cancellationToken = default) =>
        _database.QueryListAsync(
            "list sinks",
            upstreamId is null
                ? "SELECT id, upstream_id, spec, created_at FROM upstream_sinks ORDER BY created_at, id"
                : "SELECT id, upstream_id, spec, created_at FROM upstream_sinks WHERE upstream_id = $value ORDER BY created_at, id",
            upstreamId,
            reader => new SinkRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInstant(3)),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveSinkAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"remove sink '{id}'",
            async (transaction, ct) =>
            {
                await using (var delete = transaction.Sql("DELETE FROM upstream_sinks WHERE id = $id"))
                {
                    if (await delete.With("$id", id).ExecuteNonQueryAsync(ct) == 0)
                    {
                        return false;
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    private static async Task InsertHistoryAsync(SqliteTransaction transaction, string rotationId, long number, RotationTransition step, CancellationToken cancellationToken)
    {
        await using var insert = transaction.Sql(
            "INSERT INTO rotation_history (rotation_id, step, from_state, to_state, actor, why, at) VALUES ($rotation_id, $step, $from, $to, $actor, $why, $at)");
        await insert
            .With("$rotation_id", rotationId)
            .With("$step", number)
            .With("$from", step.From is { } from ? RotationMachine.Describe(from) : null)
            .With("$to", RotationMachine.Describe(step.To))
            .With("$actor", step.Actor)
            .With("$why", step.Why)
            .With("$at", StoredTime.ToUnixMilliseconds(step.At))
            .ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task SetNewKeyAsync(SqliteTransaction transaction, string rotationId, string? keyId, CancellationToken cancellationToken)
    {
        await using var update = transaction.Sql("UPDATE rotations SET new_key_id = $key WHERE id = $id");
        await update.With("$key", keyId).With("$id", rotationId).ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task MoveKeyAsync(SqliteTransaction transaction, string keyId, string from, string to, CancellationToken cancellationToken)
    {
        await using var update = transaction.Sql("UPDATE upstream_keys SET slot = $to WHERE id = $id AND slot = $from");
        if (await update.With("$to", to).With("$id", keyId).With("$from", from).ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new StorageException(StorageError.Conflict, $"key '{keyId}' is not in the {from} slot: the store changed under the rotation");
        }
    }

    /// <summary>
    /// One step in one transaction: the rotation must still be in <see cref="RotationTransition.From"/>
    /// (a concurrent or repeated run finds it moved and fails as a conflict), then the effect on keys,
    /// the new state, the history row and the audit record.
    /// </summary>
    private Task<bool> StepAsync(
        string rotationId,
        RotationTransition step,
        AuditEntry audit,
        Func<SqliteTransaction, RotationRecord, CancellationToken, Task>? effect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationId);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(audit);
        if (step.From is not { } from || !RotationMachine.IsLegal(from, step.To))
        {
            throw new ArgumentException($"not a legal rotation step: {step.From} to {step.To}", nameof(step));
        }

        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"move rotation '{rotationId}' to {RotationMachine.Describe(step.To)}",
            async (transaction, ct) =>
            {
                RotationRecord rotation;
                await using (var read = transaction.Sql($"SELECT {Rows.RotationReadColumns} FROM rotations WHERE id = $id"))
                {
                    rotation = await read.With("$id", rotationId).SingleOrDefaultAsync(Rows.ReadRotation, ct)
                        ?? throw new StorageException(StorageError.NotFound, $"no rotation with id '{rotationId}' exists");
                }

                if (rotation.State != from)
                {
                    throw new StorageException(
                        StorageError.Conflict,
                        $"rotation '{rotationId}' is {RotationMachine.Describe(rotation.State)}, not {RotationMachine.Describe(from)}: another run moved it");
                }

                if (effect is not null)
                {
                    await effect(transaction, rotation, ct);
                }

                long number;
                await using (var update = transaction.Sql("""
                    UPDATE rotations SET state = $state, updated_at = $at, problem = NULL WHERE id = $id;
                    SELECT coalesce(max(step), 0) + 1 FROM rotation_history WHERE rotation_id = $id;
                    """))
                {
                    number = await update
                        .With("$state", RotationMachine.Describe(step.To))
                        .With("$at", StoredTime.ToUnixMilliseconds(step.At))
                        .With("$id", rotationId)
                        .ScalarAsync<long>(ct);
                }

                await InsertHistoryAsync(transaction, rotationId, number, step, ct);
                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRotationProblemAsync(string rotationId, string? problem, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rotationId);
        ArgumentNullException.ThrowIfNull(audit);
        return _database.WriteAsync(
            $"record the problem of rotation '{rotationId}'",
            async (transaction, ct) =>
            {
                await using (var update = transaction.Sql("UPDATE rotations SET problem = $problem WHERE id = $id AND state NOT IN ('revoked', 'aborted')"))
                {
                    if (await update.With("$problem", problem).With("$id", rotationId).ExecuteNonQueryAsync(ct) == 0)
                    {
                        throw new StorageException(StorageError.NotFound, $"no open rotation with id '{rotationId}'");
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }
}
