using System.Security.Cryptography;
using System.Text;
using Keywarden.Core.IO;
using Keywarden.Core.Keys;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// A sink that replaces one value in a text file and keeps every other byte (comments, order,
/// quoting, line endings, BOM, final newline), the file's mode and its owner. The new file is
/// written beside the old one, flushed to disk and renamed over it, so a reader (or a crash) sees
/// the old file or the new one, never a part. A symlink is followed: the file it points to is
/// replaced and the link stays a link. If the file changes between the read and the rename
/// (length, modification time or content), the delivery fails rather than overwrite that change.
/// </summary>
internal abstract class FileSink : IKeySink
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    protected FileSink(KeySinkSpec spec)
    {
        Spec = spec;
    }

    /// <inheritdoc />
    public string Description => Spec.ToString();

    protected KeySinkSpec Spec { get; }

    /// <summary>Runs on the resolved file right after it was read: lets a test change the file while a delivery is under way.</summary>
    internal Action<string>? AfterRead { get; set; }

    /// <inheritdoc />
    public Task DeliverAsync(UpstreamKey newKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        cancellationToken.ThrowIfCancellationRequested();
        if (!newKey.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            // Upstream keys are [A-Za-z0-9_-]; anything else would need escaping rules per format.
            throw new SinkException($"{Spec.FilePath}: the new key has characters that cannot be written without escaping");
        }

        var file = ResolveTarget(Spec.FilePath!);
        var before = Snapshot.Read(file);
        AfterRead?.Invoke(file);
        var hasBom = before.Content.AsSpan().StartsWith(Utf8Bom);
        string text;
        try
        {
            text = StrictUtf8.GetString(before.Content.AsSpan(hasBom ? Utf8Bom.Length : 0));
        }
        catch (DecoderFallbackException e)
        {
            throw new SinkException($"{file} is not UTF-8 text: refusing to rewrite it", e);
        }

        var rewritten = Rewrite(text, newKey.Value, file);
        var bytes = hasBom ? [.. Utf8Bom, .. StrictUtf8.GetBytes(rewritten)] : StrictUtf8.GetBytes(rewritten);
        Replace(file, bytes, before);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the file and finds the target in it as a delivery would, opens it for writing (without changing a byte) and
    /// makes sure a new file can be created beside it (the atomic replace needs that).
    /// </remarks>
    public void Check()
    {
        var file = ResolveTarget(Spec.FilePath!);
        var before = Snapshot.Read(file);
        try
        {
            _ = Rewrite(StrictUtf8.GetString(before.Content.AsSpan(before.Content.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0)), "keywarden-check", file);
            using (new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            var probe = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, $".keywarden-check-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new SinkException($"{file} is not UTF-8 text: it could not be rewritten", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SinkException($"{file} could not be rewritten at a rotation: {e.Message} (the file and its directory must be writable by the user Keywarden runs as)", e);
        }
    }

    /// <summary>
    /// The text with the target value replaced by <paramref name="key"/>. Throws <see cref="SinkException"/>
    /// naming <paramref name="file"/> and the target, never a value, when the target is missing or unsupported.
    /// </summary>
    protected abstract string Rewrite(string text, string key, string file);

    private static string ResolveTarget(string path)
    {
        try
        {
            if (new FileInfo(path).LinkTarget is null)
            {
                return File.Exists(path) ? path : throw new SinkException($"{path} does not exist");
            }

            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)!.FullName;
            return File.Exists(target) ? target : throw new SinkException($"{path} is a symlink to {target}, which does not exist");
        }
        catch (IOException e)
        {
            throw new SinkException($"cannot resolve {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SinkException($"cannot resolve {path}: {e.Message}", e);
        }
    }

    private static void Replace(string file, byte[] bytes, Snapshot before)
    {
        try
        {
            var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(file);
            var owner = FileOwnership.Get(file);
            AtomicFile.Write(file, bytes, mode, overwrite: true, beforeRename: temp =>
            {
                if (owner is { } o && FileOwnership.Get(temp) != o)
                {
                    try
                    {
                        FileOwnership.Set(temp, o.Uid, o.Gid);
                    }
                    catch (IOException e)
                    {
                        throw new SinkException($"cannot keep the owner ({o.Uid}:{o.Gid}) of {file}: run as root or as its owner", e);
                    }
                }

                if (!OperatingSystem.IsWindows())
                {
                    // After chown (which clears set-id bits) and regardless of the umask applied at creation.
                    File.SetUnixFileMode(temp, mode);
                }

                if (!before.Matches(Snapshot.Read(file)))
                {
                    throw new SinkException($"{file} changed while the new key was being written: nothing was replaced; deliver again");
                }
            });
        }
        catch (IOException e)
        {
            throw new SinkException($"cannot write {file}: {e.Message} (the file is unchanged)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SinkException($"cannot write {file}: {e.Message} (the file is unchanged)", e);
        }
    }

    private sealed record Snapshot(long Length, DateTime ModifiedUtc, byte[] Content, byte[] Hash)
    {
        public static Snapshot Read(string file)
        {
            try
            {
                var content = File.ReadAllBytes(file);
                var info = new FileInfo(file);
                return new Snapshot(info.Length, info.LastWriteTimeUtc, content, SHA256.HashData(content));
            }
            catch (IOException e)
            {
                throw new SinkException($"cannot read {file}: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new SinkException($"cannot read {file}: {e.Message}", e);
            }
        }

        public bool Matches(Snapshot now) =>
            Length == now.Length && ModifiedUtc == now.ModifiedUtc && CryptographicOperations.FixedTimeEquals(Hash, now.Hash);
    }
}
