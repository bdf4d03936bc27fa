using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// Anomaly alerts (table <c>alerts</c>). A raise is one upsert on the partial unique index of live dedup keys, so two
/// instances raising one anomaly at once count into one alert; a new alert, an acknowledgement and a resolution append
/// their audit record (<see cref="AlertAudit"/>) in the same transaction.
/// </summary>
internal sealed class SqliteAlertStore : IAlertStore
{
    // Severity words in the order of AlertSeverity, for comparing stored words in SQL.
    private const string SeverityRankOfStored = "CASE severity WHEN 'info' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";
    private const string SeverityRankOfRaised = "CASE excluded.severity WHEN 'info' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";

    // In DO UPDATE, unqualified columns are the stored row before the update and excluded.* the raise, so the order of
    // the assignments does not matter. Times only move outward: a raise older than the alert's first (a replay out of
    // order) becomes its first occurrence, one newer than its last its latest.
    private static readonly string RaiseSql = $"""
        INSERT INTO alerts (id, detector, severity, token_id, upstream_id, client, dedup_key, first_time, last_time, count,
                            first_why, last_why, learning, state)
        VALUES ($id, $detector, $severity, $token_id, $upstream_id, $client, $dedup_key, $time, $time, 1, $why, $why, $learning, 'open')
        ON CONFLICT (dedup_key) WHERE state <> 'resolved' DO UPDATE SET
            count = count + 1,
            severity = CASE WHEN {SeverityRankOfRaised} > {SeverityRankOfStored} THEN excluded.severity ELSE severity END,
            first_time = min(first_time, excluded.first_time),
            first_why = CASE WHEN excluded.first_time < first_time THEN excluded.first_why ELSE first_why END,
            last_time = max(last_time, excluded.last_time),
            last_why = CASE WHEN excluded.last_time >= last_time THEN excluded.last_why ELSE last_why END,
            learning = learning AND excluded.learning
        RETURNING {Rows.AlertColumns}
        """;

    private readonly SqliteDatabase _database;

    public SqliteAlertStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public Task<RaisedAlert> RaiseAsync(AlertRaise raise, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raise);
        raise.Validate();
        return _database.WriteAsync(
            $"raise alert '{raise.Id}'",
            async (transaction, ct) =>
            {
                AlertRecord alert;
                await using (var upsert = transaction.Sql(RaiseSql))
                {
                    try
                    {
                        alert = await upsert
                            .With("$id", raise.Id)
                            .With("$detector", raise.Detector)
                            .With("$severity", StoredNames.Of(raise.Severity))
                            .With("$token_id", raise.TokenId)
                            .With("$upstream_id", raise.UpstreamId)
                            .With("$client", raise.Client)
                            .With("$dedup_key", raise.DedupKey)
                            .With("$time", StoredTime.ToUnixMilliseconds(raise.Time))
                            .With("$why", raise.Why)
                            .With("$learning", raise.Learning ? 1 : 0)
                            .SingleOrDefaultAsync(Rows.ReadAlert, ct)
                            ?? throw new InvalidOperationException("the alert upsert returned no row");
                    }
                    catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "alerts.id"))
                    {
                        throw new StorageException(StorageError.Conflict, $"an alert with id '{raise.Id}' already exists", exception);
                    }
                }

                // Only an insert leaves a count of 1: a repeat adds to one (even a retried raise carrying the live alert's own id).
                var isNew = alert.Count == 1;
                if (isNew)
                {
                    await SqliteAuditStore.AppendInTransactionAsync(transaction, [AlertAudit.Raised(alert)], ct);
                }

                return new RaisedAlert(alert, isNew);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AlertRecord?> FindAlertAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.QuerySingleAsync($"find alert '{id}'", $"SELECT {Rows.AlertColumns} FROM alerts WHERE id = $value", id, Rows.ReadAlert, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return _database.UseConnectionAsync<IReadOnlyList<AlertRecord>>(
            "list alerts",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("");
                var where = new List<string>();
                if (query.States.Count > 0)
                {
                    where.Add($"state IN ({InList(command, "$state", query.States.Distinct().Select(StoredNames.Of))})");
                }

                if (query.MinimumSeverity is { } minimum)
                {
                    var severities = Enum.GetValues<AlertSeverity>().Where(s => s >= minimum).Select(StoredNames.Of);
                    where.Add($"severity IN ({InList(command, "$severity", severities)})");
                }

                if (query.TokenId is { } tokenId)
                {
                    where.Add("token_id = $token_id");
                    command.With("$token_id", tokenId);
                }

                if (query.Detector is { } detector)
                {
                    where.Add("detector = $detector");
                    command.With("$detector", detector);
                }

                if (query.Before is { } before)
                {
                    where.Add("(last_time < $before_time OR (last_time = $before_time AND id < $before_id))");
                    command.With("$before_time", StoredTime.ToUnixMilliseconds(before.LastTime)).With("$before_id", before.Id);
                }

                var sql = new StringBuilder($"SELECT {Rows.AlertColumns} FROM alerts");
                if (where.Count > 0)
                {
                    sql.Append(" WHERE ").AppendJoin(" AND ", where);
                }

                command.CommandText = sql.Append(" ORDER BY last_time DESC, id DESC LIMIT $limit").ToString();
                command.With("$limit", query.Limit);
                return await command.ListAsync(Rows.ReadAlert, ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AlertRecord> AcknowledgeAsync(string id, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, AlertState.Acknowledged, actor, at, note, cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord> ResolveAsync(string id, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, AlertState.Resolved, actor, at, note, cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord> SetActionAsync(string id, string action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return _database.WriteAsync(
            $"set the action of alert '{id}'",
            async (transaction, ct) =>
            {
                await using var update = transaction.Sql($"UPDATE alerts SET action = $action WHERE id = $id RETURNING {Rows.AlertColumns}");
                return await update.With("$action", action).With("$id", id).SingleOrDefaultAsync(Rows.ReadAlert, ct)
                    ?? throw new StorageException(StorageError.NotFound, $"no alert with id '{id}'");
            },
            cancellationToken);
    }

    /// <summary>open → acknowledged, open or acknowledged → resolved, with its record; anything else refused, nothing written.</summary>
    private Task<AlertRecord> ChangeStateAsync(string id, AlertState to, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var (verb, columns) = to == AlertState.Acknowledged
            ? ("acknowledge", "acknowledged_by = $actor, acknowledged_at = $at, acknowledge_note = $note")
            : ("resolve", "resolved_by = $actor, resolved_at = $at, resolve_note = $note");
        return _database.WriteAsync(
            $"{verb} alert '{id}'",
            async (transaction, ct) =>
            {
                AlertRecord current;
                await using (var read = transaction.Sql($"SELECT {Rows.AlertColumns} FROM alerts WHERE id = $id"))
                {
                    current = await read.With("$id", id).SingleOrDefaultAsync(Rows.ReadAlert, ct)
                        ?? throw new StorageException(StorageError.NotFound, $"no alert with id '{id}'");
                }

                if (current.State == AlertState.Resolved || current.State == to)
                {
                    throw new StorageException(StorageError.Conflict, $"alert '{id}' is already {StoredNames.Of(current.State)}");
                }

                AlertRecord changed;
                await using (var update = transaction.Sql($"UPDATE alerts SET state = $state, {columns} WHERE id = $id RETURNING {Rows.AlertColumns}"))
                {
                    changed = (await update
                        .With("$state", StoredNames.Of(to))
                        .With("$actor", actor)
                        .With("$at", StoredTime.ToUnixMilliseconds(at))
                        .With("$note", note)
                        .With("$id", id)
                        .SingleOrDefaultAsync(Rows.ReadAlert, ct))!;
                }

                AuditEntry entry = to == AlertState.Acknowledged
                    ? AlertAudit.Acknowledged(changed, actor, at, note)
                    : AlertAudit.Resolved(changed, actor, at, note);
                await SqliteAuditStore.AppendInTransactionAsync(transaction, [entry], ct);
                return changed;
            },
            cancellationToken);
    }

    /// <summary>Binds each value as <c>{prefix}0</c>, <c>{prefix}1</c>… and returns the list of their names for <c>IN (…)</c>.</summary>
    private static string InList(SqliteCommand command, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.With(name, value);
            names.Add(name);
        }

        return string.Join(", ", names);
    }
}
