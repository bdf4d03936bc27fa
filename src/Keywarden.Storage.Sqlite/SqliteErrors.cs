using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// Turns SQLite failures into <see cref="StorageException"/>s a person can act on. SQLite's own
/// messages name tables and columns, never bound values, so no secret or blob can leak through them.
/// </summary>
internal static class SqliteErrors
{
    // Primary result codes, https://sqlite.org/rescode.html
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Constraint = 19;
    private const int NotADatabase = 26;

    // Extended result codes of SQLITE_CONSTRAINT.
    private const int ForeignKeyViolation = 787;
    private const int PrimaryKeyViolation = 1555;
    private const int UniqueViolation = 2067;

    /// <summary>True when <paramref name="exception"/> is a unique or primary key violation on <paramref name="tableDotColumn"/>.</summary>
    public static bool IsDuplicate(SqliteException exception, string tableDotColumn) =>
        exception.SqliteExtendedErrorCode is UniqueViolation or PrimaryKeyViolation
        && exception.Message.Contains("constraint failed: " + tableDotColumn, StringComparison.Ordinal);

    public static StorageException ToStorageException(SqliteException exception, string action, string databasePath)
    {
        var where = $"could not {action} in the SQLite database '{databasePath}'";
        return exception.SqliteErrorCode switch
        {
            Constraint when exception.SqliteExtendedErrorCode is UniqueViolation or PrimaryKeyViolation =>
                new StorageException(StorageError.Conflict, $"{where}: a record with the same unique value exists ({Detail(exception)})", exception),
            Constraint when exception.SqliteExtendedErrorCode is ForeignKeyViolation =>
                new StorageException(StorageError.NotFound, $"{where}: a record it refers to does not exist", exception),
            Corrupt or NotADatabase =>
                new StorageException(StorageError.Incompatible, $"{where}: the file is damaged or is not a Keywarden database", exception),
            Busy or Locked =>
                new StorageException(StorageError.Unavailable, $"{where}: the database stayed locked by another writer for too long", exception),
            ReadOnly => new StorageException(StorageError.Unavailable, $"{where}: the database is read-only", exception),
            Perm or CantOpen => new StorageException(StorageError.Unavailable, $"{where}: the file cannot be opened (check that it exists and its permissions)", exception),
            Full => new StorageException(StorageError.Unavailable, $"{where}: the disk is full", exception),
            IoErr => new StorageException(StorageError.Unavailable, $"{where}: the disk reported an I/O error", exception),
            _ => new StorageException(StorageError.Unavailable, $"{where}: {Detail(exception)}", exception),
        };
    }

    // Microsoft.Data.Sqlite formats messages as "SQLite Error 19: 'UNIQUE constraint failed: t.c'.": keep SQLite's part.
    private static string Detail(SqliteException exception)
    {
        var message = exception.Message;
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
    }
}
