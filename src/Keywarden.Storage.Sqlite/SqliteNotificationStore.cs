using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Monitoring;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>Webhook targets (<c>notification_targets</c>) and the outbox of alert deliveries (<c>notification_deliveries</c>).</summary>
internal sealed class SqliteNotificationStore : INotificationStore
{
    private const string TargetColumns = "id, format, min_severity, display, ciphertext, wrapped_data_key, master_key_id, created_at";
    private const string DeliveryColumns = "id, target_id, alert_id, notice, state, attempts, created_at, next_attempt_at, delivered_at, last_error";

    private readonly SqliteDatabase _database;

    public SqliteNotificationStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public Task AddTargetAsync(NotificationTargetRecord target, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"add notification target '{target.Id}'",
            async (transaction, ct) =>
            {
                await using (var insert = transaction.Sql(
                    $"INSERT INTO notification_targets ({TargetColumns}) VALUES ($id, $format, $min_severity, $display, $ciphertext, $wrapped_data_key, $master_key_id, $created_at)"))
                {
                    try
                    {
                        await insert
                            .With("$id", target.Id)
                            .With("$format", StoredNotificationNames.Of(target.Format))
                            .With("$min_severity", StoredNames.Of(target.MinSeverity))
                            .With("$display", target.Display)
                            .With("$ciphertext", target.Secret.Ciphertext)
                            .With("$wrapped_data_key", target.Secret.WrappedDataKey)
                            .With("$master_key_id", target.Secret.MasterKeyId)
                            .With("$created_at", StoredTime.ToUnixMilliseconds(target.CreatedAt))
                            .ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "notification_targets.id"))
                    {
                        throw new StorageException(StorageError.Conflict, $"a notification target with id '{target.Id}' already exists", exception);
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationTargetRecord>> ListTargetsAsync(CancellationToken cancellationToken = default) =>
        _database.QueryListAsync(
            "list notification targets",
            $"SELECT {TargetColumns} FROM notification_targets ORDER BY created_at, id",
            null,
            ReadTarget,
            cancellationToken);

    /// <inheritdoc />
    public Task<NotificationTargetRecord?> FindTargetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.QuerySingleAsync(
            $"find notification target '{id}'", $"SELECT {TargetColumns} FROM notification_targets WHERE id = $value", id, ReadTarget, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveTargetAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"remove notification target '{id}'",
            async (transaction, ct) =>
            {
                await using (var delete = transaction.Sql("DELETE FROM notification_targets WHERE id = $id"))
                {
                    if (await delete.With("$id", id).ExecuteNonQueryAsync(ct) == 0)
                    {
                        return false;
                    }
                }

                await using (var cancel = transaction.Sql("UPDATE notification_deliveries SET state = 'cancelled' WHERE target_id = $id AND state = 'pending'"))
                {
                    await cancel.With("$id", id).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> EnqueueAsync(
        string alertId, AlertSeverity severity, DateTimeOffset raisedAt, string notice, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(alertId);
        ArgumentNullException.ThrowIfNull(notice);
        return _database.WriteAsync(
            $"queue the notifications of alert '{alertId}'",
            async (transaction, ct) =>
            {
                List<(string Id, AlertSeverity MinSeverity)> targets;
                await using (var read = transaction.Sql("SELECT id, min_severity FROM notification_targets WHERE created_at <= $raised_at ORDER BY id"))
                {
                    targets = await read
                        .With("$raised_at", StoredTime.ToUnixMilliseconds(raisedAt))
                        .ListAsync(r => (r.GetString(0), StoredNames.ParseSeverity(r.GetString(1))), ct);
                }

                var queued = 0;
                foreach (var (targetId, minSeverity) in targets)
                {
                    if (severity < minSeverity)
                    {
                        continue;
                    }

                    await using var insert = transaction.Sql("""
                        INSERT INTO notification_deliveries (target_id, alert_id, notice, state, attempts, created_at, next_attempt_at)
                        VALUES ($target_id, $alert_id, $notice, 'pending', 0, $now, $now)
                        ON CONFLICT (alert_id, target_id) DO NOTHING
                        """);
                    queued += await insert
                        .With("$target_id", targetId)
                        .With("$alert_id", alertId)
                        .With("$notice", notice)
                        .With("$now", StoredTime.ToUnixMilliseconds(now))
                        .ExecuteNonQueryAsync(ct);
                }

                return queued;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationDelivery>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _database.UseConnectionAsync<IReadOnlyList<NotificationDelivery>>(
            "list due notifications",
            async (connection, ct) =>
            {
                await using var command = connection.Sql(
                    $"SELECT {DeliveryColumns} FROM notification_deliveries WHERE state = 'pending' AND next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $limit");
                return await command.With("$now", StoredTime.ToUnixMilliseconds(now)).With("$limit", limit).ListAsync(ReadDelivery, ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        _database.UseConnectionAsync(
            "find the next notification due",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("SELECT min(next_attempt_at) FROM notification_deliveries WHERE state = 'pending'");
                var value = await command.ExecuteScalarAsync(ct);
                return value is long milliseconds ? StoredTime.FromUnixMilliseconds(milliseconds) : (DateTimeOffset?)null;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task MarkDeliveredAsync(long deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(
            $"record notification {deliveryId} delivered",
            async (transaction, ct) =>
            {
                await using var update = transaction.Sql(
                    "UPDATE notification_deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = $at, last_error = NULL WHERE id = $id AND state = 'pending'");
                return await update.With("$at", StoredTime.ToUnixMilliseconds(at)).With("$id", deliveryId).ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task MarkFailedAsync(long deliveryId, string failure, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return _database.WriteAsync(
            $"record a failed attempt of notification {deliveryId}",
            async (transaction, ct) =>
            {
                await using var update = transaction.Sql(
                    "UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = $next, last_error = $error WHERE id = $id AND state = 'pending'");
                return await update
                    .With("$next", StoredTime.ToUnixMilliseconds(nextAttemptAt))
                    .With("$error", failure)
                    .With("$id", deliveryId)
                    .ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationDelivery>> ListDeliveriesAsync(string alertId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        return _database.QueryListAsync(
            $"list the notifications of alert '{alertId}'",
            $"SELECT {DeliveryColumns} FROM notification_deliveries WHERE alert_id = $value ORDER BY id",
            alertId,
            ReadDelivery,
            cancellationToken);
    }

    /// <summary>Re-wraps every target's sealed URL and secret, inside the master key rotation's transaction. Returns how many.</summary>
    internal static Task<int> RewrapAllAsync(
        SqliteTransaction transaction, Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, CancellationToken cancellationToken) =>
        SealedColumns.RewrapAsync(transaction, "notification_targets", "notification target", rewrap, newMasterKeyId, cancellationToken);

    private static NotificationTargetRecord ReadTarget(SqliteDataReader reader) => new(
        reader.GetString(0),
        StoredNotificationNames.ParseFormat(reader.GetString(1)),
        StoredNames.ParseSeverity(reader.GetString(2)),
        reader.GetString(3),
        new SealedSecret(reader.GetBlob(4), reader.GetBlob(5), reader.GetString(6)),
        reader.GetInstant(7));

    private static NotificationDelivery ReadDelivery(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        StoredNotificationNames.ParseDeliveryState(reader.GetString(4)),
        reader.GetInt32(5),
        reader.GetInstant(6),
        reader.GetInstant(7),
        reader.GetNullableInstant(8),
        reader.GetNullableString(9));
}
