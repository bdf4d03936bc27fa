namespace Keywarden.Storage.Sqlite;

/// <summary>
/// The database file and its companions (<c>-wal</c>, <c>-shm</c>, <c>-journal</c>), readable and
/// writable by the owner only. The file is created here, before SQLite opens it, so that it never
/// exists with wider permissions; SQLite gives the companions the mode of the database file, and
/// <see cref="RestrictToOwner"/> checks that anyway.
/// </summary>
internal static class DatabaseFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    /// <summary>Creates an empty file with mode 0600 unless it exists.</summary>
    public static void EnsureExists(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it between the check and the create: open what it made.
        }
    }

    /// <summary>Removes group and other permissions from the database file and its companions.</summary>
    public static void RestrictToOwner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in CompanionSuffixes.Select(suffix => path + suffix).Prepend(path))
        {
            if (!File.Exists(file))
            {
                continue;
            }

            var mode = File.GetUnixFileMode(file);
            if ((mode & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(file, mode & OwnerOnly);
            }
        }
    }
}
