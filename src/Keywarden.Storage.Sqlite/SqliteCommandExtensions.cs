using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>Short forms for parameterised commands. Values are always bound, never spliced into SQL.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand Sql(this SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand Sql(this SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.Sql(sql);
        command.Transaction = transaction;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        if (value is string text)
        {
            StoredText.EnsureValid(text, name.TrimStart('$'));
        }

        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>The first column of the first row, or null when there is no row or the value is NULL.</summary>
    public static async Task<T?> ScalarAsync<T>(this SqliteCommand command, CancellationToken cancellationToken)
    {
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<List<T>> ListAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetInstant(this SqliteDataReader reader, int ordinal) =>
        StoredTime.FromUnixMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetNullableInstant(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : StoredTime.FromUnixMilliseconds(reader.GetInt64(ordinal));

    public static byte[] GetBlob(this SqliteDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);
}
