namespace Keywarden.Core.IO;

/// <summary>
/// Replaces files atomically: write a temporary file beside the target (0600 unless told otherwise, from the moment it
/// exists), flush it to disk, rename over the target. The one file-system helper in Core: every part that writes a file
/// a person relies on (keys, reports, sinks, exports, hooks) writes it this way.
/// </summary>
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

    /// <summary>
    /// As <see cref="Write"/>, with the contents streamed by <paramref name="write"/> (for output too large to hold: an
    /// audit export). Returns what <paramref name="write"/> returns.
    /// </summary>
    public static async Task<T> WriteAsync<T>(
        string path,
        Func<Stream, CancellationToken, Task<T>> write,
        UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            T result;
            await using (var stream = new FileStream(temp, options))
            {
                result = await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM), atomically, 0600.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
        return WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync(bytes, ct);
            return true;
        }, cancellationToken: cancellationToken);
    }
}
