using Keywarden.Core.Audit;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keywarden.Storage.Sqlite;

/// <summary>The prepared <c>INSERT INTO audit</c>, on the connection and inside the transaction of its appends.</summary>
internal sealed class AuditInsert : IDisposable
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
        OptionalInt(12, e.UpstreamStatus);

        Check(raw.sqlite3_bind_double(_statement, 13, e.LatencyMs));
        Int(14, e.BytesIn);
        Int(15, e.BytesOut);
        Text(16, e.Actor);
        Text(17, e.Detail);
        Check(raw.sqlite3_bind_blob(_statement, 18, record.PreviousHash));
        Check(raw.sqlite3_bind_blob(_statement, 19, record.Hash));
        OptionalInt(20, e.Recipients);
        Text(21, e.FromDomain);
        Text(22, e.UserAgent);
        var step = raw.sqlite3_step(_statement);
        if (step != raw.SQLITE_DONE)
        {
            Check(step);
        }

        raw.sqlite3_reset(_statement); // done: a statement kept prepared must not look active between appends
    }

    public void Dispose() => _statement.Dispose();

    private void Int(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    private void OptionalInt(int index, int? value) =>
        Check(value is { } present ? raw.sqlite3_bind_int64(_statement, index, present) : raw.sqlite3_bind_null(_statement, index));

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
