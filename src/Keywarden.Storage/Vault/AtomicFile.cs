namespace Keywarden.Storage.Vault;

/// <summary>Replaces files atomically: write a temporary file beside the target, flush it to disk, rename over the target.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="path"/> so that a reader (or a crash) sees
    /// either the old file or the new one, never a part. On Unix the file gets <paramref name="mode"/>
    /// from the moment it exists.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> contents, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, bool overwrite = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            if (overwrite)
            {
                File.Move(temp, path, overwrite: true);
            }
            else
            {
                if (File.Exists(path))
                {
                    throw new IOException($"{path} already exists");
                }

                File.Move(temp, path, overwrite: false);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
