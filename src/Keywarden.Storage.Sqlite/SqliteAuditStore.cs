using System.Runtime.CompilerServices;
using Keywarden.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>The audit log: table <c>audit</c>, hash-chained, append-only, and its checkpoints (<c>audit_checkpoints</c>).</summary>
internal sealed class SqliteAuditStore : IAuditStore, IAuditAppendDiagnostics, IDisposable
{
    private const int ReadAllPageSize = 1_000;
    private const int AuditLogMigration = 2;

    private readonly SqliteDatabase _database;
    private readonly SqliteAuditAppender _auditAppender;

    public SqliteAuditStore(SqliteDatabase database)
    {
        _database = database;
        _auditAppender = new SqliteAuditAppender(database.OpenConnection);
    }

    /// <inheritdoc />
    public AuditAppendTiming? LastAppend => _auditAppender.LastAppend;

    /// <inheritdoc />
    public AuditAppendProgress? AppendInProgress => _auditAppender.AppendInProgress;

    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction reads the head and inserts every entry with one
    /// prepared statement, so concurrent appenders (threads or processes) queue on the write lock
    /// and the chain never forks. The audit log does not move <see cref="IStoreChanges.GetRevisionAsync"/>.
    /// Runs synchronously on the caller's thread, on a connection kept for audit appends.
    /// </remarks>
    /// <exception cref="ArgumentException">An entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>); nothing is written.</exception>
    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, AuditFlush.Disk, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="AuditFlush.OperatingSystem"/> commits with <c>synchronous=NORMAL</c>: in WAL mode the commit is written to
    /// the log file but not fsynced; the next fsync (a later commit of another connection, or a checkpoint) takes it to
    /// disk. The database stays consistent either way.
    /// </remarks>
    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditFlush flush, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            AuditChain.ThrowIfInvalid(entry);
        }

        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<AuditRecord>>([]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(_auditAppender.Append(entries, flush));
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.ToStorageException(exception, $"append {entries.Count} audit record(s)", _database.Path);
        }
    }

    /// <summary>Links and inserts <paramref name="entries"/> inside a write transaction the caller owns.</summary>
    internal static async Task<IReadOnlyList<AuditRecord>> AppendInTransactionAsync(
        SqliteTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var (sequence, previous) = await ReadAuditHeadAsync(transaction, cancellationToken);
        using var insert = new AuditInsert(transaction.Connection!);
        var records = new AuditRecord[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var record = AuditChain.Link(++sequence, previous, entries[i]);
            insert.Execute(record);
            records[i] = record;
            previous = record.Hash;
            if (SqliteAuditAppender.CheckpointSource(record) is { } source)
            {
                await InsertCheckpointAsync(transaction, new AuditCheckpoint(record.Sequence, record.Hash, record.Entry.Time, source), cancellationToken);
            }
        }

        return records;
    }

    /// <inheritdoc />
    public Task<AuditCheckpoint?> CheckpointAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return _database.WriteAsync<AuditCheckpoint?>(
            "checkpoint the audit log",
            async (transaction, ct) =>
            {
                await using var head = transaction.Sql("SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1");
                await using var reader = await head.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return null;
                }

                var checkpoint = new AuditCheckpoint(reader.GetInt64(0), reader.GetBlob(1), _database.Time.GetUtcNow(), source);
                await InsertCheckpointAsync(transaction, checkpoint, ct);
                return checkpoint;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default) =>
        _database.QueryListAsync(
            "list the audit checkpoints",
            $"SELECT {Rows.CheckpointColumns} FROM audit_checkpoints ORDER BY sequence",
            value: null,
            Rows.ReadCheckpoint,
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>When schema version 2, which created the audit log, was applied to this file.</remarks>
    public Task<DateTimeOffset> GetAuditCoverageStartAsync(CancellationToken cancellationToken = default) =>
        _database.UseConnectionAsync(
            "read when the audit log started",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("SELECT applied_at FROM schema_migrations WHERE version = $value");
                return StoredTime.FromUnixMilliseconds(await command.With("$value", AuditLogMigration).ScalarAsync<long>(ct));
            },
            cancellationToken);

    private static async Task InsertCheckpointAsync(SqliteTransaction transaction, AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var insert = transaction.Sql(SqliteAuditAppender.CheckpointInsertSql);
        await insert
            .With("$sequence", checkpoint.Sequence)
            .With("$hash", checkpoint.Hash)
            .With("$time_ms", StoredTime.ToUnixMilliseconds(checkpoint.Time))
            .With("$source", checkpoint.Source)
            .ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> SequenceBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken = default) =>
        _database.UseConnectionAsync(
            "find where the audit log reaches a time",
            async (connection, ct) =>
            {
                var target = StoredTime.ToUnixMilliseconds(time);
                await using var first = connection.Sql("SELECT min(sequence) FROM audit");
                await using var last = connection.Sql("SELECT max(sequence) FROM audit");
                var low = await first.ScalarAsync<long?>(ct) ?? 0;
                var high = await last.ScalarAsync<long?>(ct) ?? 0;
                if (high == 0)
                {
                    return 0;
                }

                // The last sequence whose time is before the target, by bisection over the primary key (no index on time).
                await using var at = connection.Sql("SELECT time_ms FROM audit WHERE sequence = $value");
                var found = low - 1;
                while (low <= high)
                {
                    var middle = low + ((high - low) / 2);
                    at.Parameters.Clear();
                    var timeMs = await at.With("$value", middle).ScalarAsync<long?>(ct);
                    if (timeMs is { } value && value < target)
                    {
                        found = middle;
                        low = middle + 1;
                    }
                    else
                    {
                        high = middle - 1;
                    }
                }

                return Math.Max(found, 0);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _database.UseConnectionAsync<IReadOnlyList<AuditRecord>>(
            "read the audit log",
            async (connection, ct) =>
            {
                await using var command = connection.Sql($"SELECT {Rows.AuditColumns} FROM audit WHERE sequence > $after ORDER BY sequence LIMIT $limit");
                return await command.With("$after", afterSequence).With("$limit", limit).ListAsync(Rows.ReadAudit, ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> TailAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return _database.UseConnectionAsync<IReadOnlyList<AuditRecord>>(
            "read the end of the audit log",
            async (connection, ct) =>
            {
                await using var command = connection.Sql($"""
                    SELECT {Rows.AuditColumns} FROM (SELECT {Rows.AuditColumns} FROM audit ORDER BY sequence DESC LIMIT $count) ORDER BY sequence
                    """);
                return await command.With("$count", count).ListAsync(Rows.ReadAudit, ct);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Pages of 1 000 by sequence, each on its own short read, so a long export never holds a read
    /// snapshot that keeps the write-ahead log from being checkpointed. Records appended while
    /// reading are included.
    /// </remarks>
    public async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = 0L;
        while (true)
        {
            var page = await ReadAsync(after, ReadAllPageSize, cancellationToken);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < ReadAllPageSize)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    private static async Task<(long Sequence, byte[] Hash)> ReadAuditHeadAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction.Sql("SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetBlob(1)) : (0, AuditChain.Genesis);
    }

    public void Dispose() => _auditAppender.Dispose();
}
