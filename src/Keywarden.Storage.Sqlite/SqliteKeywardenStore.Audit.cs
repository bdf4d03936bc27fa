using System.Runtime.CompilerServices;
using Keywarden.Core.Audit;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keywarden.Storage.Sqlite;

/// <summary>The audit log: table <c>audit</c>, hash-chained, append-only.</summary>
public sealed partial class SqliteKeywardenStore
{
    private const int ReadAllPageSize = 1_000;

    // About 0.3 ms of hashing and inserting between two yields of the appending thread: the gateway's audit writer
    // shares the machine with the requests it records, and on a small machine a request should not wait for a whole
    // batch (measured: p99 added over bare YARP +1.6 ms without, +0.5 ms with, at 8 connections on one core).
    private const int AuditYieldEvery = 32;

    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction reads the head and inserts every entry with one
    /// prepared statement, so concurrent appenders (threads or processes) queue on the write lock
    /// and the chain never forks. The audit log does not move <see cref="GetRevisionAsync"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">An entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>); nothing is written.</exception>
    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
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

        return WriteAsync<IReadOnlyList<AuditRecord>>(
            $"append {entries.Count} audit record(s)",
            (transaction, ct) => AppendInTransactionAsync(transaction, entries, ct),
            cancellationToken);
    }

    /// <summary>Links and inserts <paramref name="entries"/> inside a write transaction the caller owns.</summary>
    private static async Task<IReadOnlyList<AuditRecord>> AppendInTransactionAsync(
        SqliteTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var (sequence, previous) = await ReadAuditHeadAsync(transaction, cancellationToken);
        // One statement for every row, prepared once and bound by position: the audit writer runs for every
        // gateway request, and Microsoft.Data.Sqlite's commands look each parameter up by name on every execution.
        using var insert = new AuditInsert(transaction.Connection!);
        var records = new AuditRecord[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0 && i % AuditYieldEvery == 0)
            {
                // A big batch is milliseconds of CPU; a request thread waiting for this core gets it every few records.
                Thread.Yield();
            }

            var record = AuditChain.Link(++sequence, previous, entries[i]);
            insert.Execute(record);
            records[i] = record;
            previous = record.Hash;
        }

        return records;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return UseConnectionAsync<IReadOnlyList<AuditRecord>>(
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
        return UseConnectionAsync<IReadOnlyList<AuditRecord>>(
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

    /// <summary>The prepared <c>INSERT INTO audit</c> of one append, on the append's connection and transaction.</summary>
    private sealed class AuditInsert : IDisposable
    {
        private static readonly string Sql =
            $"INSERT INTO audit ({Rows.AuditColumns}) VALUES ({string.Join(", ", Enumerable.Range(1, Rows.AuditColumns.Split(", ").Length).Select(i => "?" + i))})";

        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _statement;

        public AuditInsert(SqliteConnection connection)
        {
            _connection = connection;
            Check(raw.sqlite3_prepare_v2(connection.Handle, Sql, out _statement));
        }

        /// <summary>Inserts a linked record, bound in the column order of <see cref="Rows.AuditColumns"/>. Its strings are valid Unicode (Link made them so).</summary>
        public void Execute(AuditRecord record)
        {
            var e = record.Entry;
            Check(raw.sqlite3_reset(_statement));
            Int(1, record.Sequence);
            Int(2, StoredTime.ToUnixMilliseconds(e.Time));
            Text(3, StoredNames.Of(e.Kind));
            Text(4, e.TokenId);
            Text(5, e.UpstreamId);
            Text(6, e.KeyId);
            Text(7, e.ClientAddress);
            Text(8, e.Method);
            Text(9, e.Path);
            Text(10, StoredNames.Of(e.Decision));
            Text(11, e.Rule);
            if (e.UpstreamStatus is { } status)
            {
                Int(12, status);
            }
            else
            {
                Check(raw.sqlite3_bind_null(_statement, 12));
            }

            Check(raw.sqlite3_bind_double(_statement, 13, e.LatencyMs));
            Int(14, e.BytesIn);
            Int(15, e.BytesOut);
            Text(16, e.Actor);
            Text(17, e.Detail);
            Check(raw.sqlite3_bind_blob(_statement, 18, record.PreviousHash));
            Check(raw.sqlite3_bind_blob(_statement, 19, record.Hash));
            var step = raw.sqlite3_step(_statement);
            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
        }

        public void Dispose() => _statement.Dispose();

        private void Int(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

        private void Text(int index, string? value) =>
            Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

        private void Check(int rc)
        {
            if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
            {
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }
        }
    }
}
