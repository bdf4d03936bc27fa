namespace Keywarden.Storage.Vault;

/// <summary>Replaces files atomically: write a temporary file beside the target, flush it to disk, rename over the target.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="path"/> so that a reader (or a crash) sees
    /// either the old file or the new one, never a part. On Unix the file gets <paramref name="mode"/>
    /// from the moment it exists. <paramref name="beforeRename"/>, when given, runs on the temporary file's
    /// path once its contents are on disk and before it replaces the target (to set its owner, or to check
    /// the target did not change meanwhile); if it throws, the target is untouched and the temporary file removed.
    /// </summary>
    public static void Write(
        string path,
        ReadOnlySpan<byte> contents,
        UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        bool overwrite = true,
        Action<string>? beforeRename = null)
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

            beforeRename?.Invoke(temp);

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
