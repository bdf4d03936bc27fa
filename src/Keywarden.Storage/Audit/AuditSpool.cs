using System.Buffers.Binary;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using Keywarden.Core.Audit;
using Microsoft.Win32.SafeHandles;

namespace Keywarden.Storage.Audit;

/// <summary>
/// The gateway's audit spool: each request's record is written here, by the request's own thread, before its answer
/// leaves; the gateway's <c>AuditQueue</c> then takes it to the store in large batches. A record in the spool survives a
/// crash or kill of the gateway (it is in the operating system once the write returns), so "audit or refuse" holds
/// across a crash without a database commit in every answer's path. Whatever the store has not received when the
/// gateway dies is appended by <see cref="RecoverAsync"/> on the next start (or the next audit command), once each.
/// </summary>
/// <remarks>
/// <para>Files: <c>audit-&lt;time&gt;-&lt;pid&gt;-&lt;random&gt;.spool</c> in the spool directory (0700), each 0600, locked by
/// the process writing it (a live gateway's file is never replayed). A header (<c>KWSPOOL1</c> and the chain's head
/// sequence when the file was opened, a lower bound for the sequence of anything spooled into it), then records:
/// <c>KWRC</c>, uint32 length, uint32 CRC-32 of the payload, payload (<see cref="AuditEntryCodec"/>). Writers reserve
/// their range with one atomic add and copy the record into the file through a shared memory mapping, so they take no
/// lock and make no system call; a writer killed between the two leaves a hole that the reader skips (it resynchronises
/// on the next valid record), and the zeros after the last record read as the end.</para>
/// <para>A copy into a shared mapping of a file is in the operating system's page cache as it completes, like a
/// <c>pwrite</c>: it survives a crash or kill of the process (not of the machine, as neither does a <c>pwrite</c>
/// without fsync). The file's blocks are allocated when it is created (<c>fallocate</c>), so a full disk fails the
/// creation (an <see cref="IOException"/>: the gateway refuses) instead of a write into the mapping (a fault that would
/// end the process). A record that reaches past the mapping (writers racing past the limit while the next file is
/// opened) is written with <c>pwrite</c>.</para>
/// <para>A file is replaced by a fresh one past 16 MiB and deleted once every record in it is in the store.</para>
/// <para>Never a secret: entries are normalised (anything shaped like a key or token redacted) before they are spooled.</para>
/// </remarks>
public sealed class AuditSpool : IDisposable
{
    /// <summary>The file name extension of spool files.</summary>
    public const string Extension = ".spool";

    private const int HeaderLength = 16;
    private const int RecordHeaderLength = 12;
    private const long DefaultSegmentLimit = 16L * 1024 * 1024;

    /// <summary>Mapped (and allocated) past the limit, for the writers that reserve before the next file is current.</summary>
    private const long MappedSlack = 1024 * 1024;
    private const int ReplayBatch = 1000;
    private const string TemporaryExtension = ".spool-new";
    private static readonly byte[] FileMagic = "KWSPOOL1"u8.ToArray();

    // Exclusive: on Unix .NET takes flock(LOCK_EX) only for FileShare.None. Windows refuses to delete an open file unless
    // it was opened with FileShare.Delete (and locks it against other openers anyway).
    private static readonly FileShare Exclusive = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;
    private static readonly byte[] RecordMagic = "KWRC"u8.ToArray();

    private readonly string _directory;
    private readonly Func<long> _headSequence;
    private readonly TimeProvider _time;
    private readonly long _segmentLimit;
    private readonly long _mapped;
    private readonly List<Segment> _segments = [];
    private Segment _current;
    private int _rotating;
    private int _disposed;

    private AuditSpool(string directory, Func<long> headSequence, TimeProvider time, long segmentLimit, long mapped, Segment first)
    {
        _segmentLimit = segmentLimit;
        _mapped = mapped;
        _segments.Add(first);
        _directory = directory;
        _headSequence = headSequence;
        _time = time;
        _current = first;
    }

    /// <summary>The file being written now (for tests and diagnostics).</summary>
    public string CurrentPath => Volatile.Read(ref _current).Path;

    /// <summary>Opens a new spool file in <paramref name="directory"/> (created 0700 when absent).</summary>
    /// <param name="directory">The spool directory: beside the database, on the same disk.</param>
    /// <param name="headSequence">The chain's head sequence now (or any lower number); asked again for each new file.</param>
    /// <param name="time">The clock that names the files (in creation order).</param>
    /// <exception cref="IOException">The directory or file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to create them.</exception>
    public static AuditSpool Open(string directory, Func<long> headSequence, TimeProvider time) =>
        Open(directory, headSequence, time, DefaultSegmentLimit);

    /// <summary>
    /// As <see cref="Open(string, Func{long}, TimeProvider)"/>, with files replaced past <paramref name="segmentLimit"/> bytes
    /// and the first <paramref name="mapped"/> bytes of each mapped (default: the limit and a slack).
    /// </summary>
    internal static AuditSpool Open(string directory, Func<long> headSequence, TimeProvider time, long segmentLimit, long? mapped = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(headSequence);
        ArgumentNullException.ThrowIfNull(time);
        CreateDirectory(directory);
        var length = mapped ?? segmentLimit + MappedSlack;
        ArgumentOutOfRangeException.ThrowIfLessThan(length, HeaderLength);
        return new AuditSpool(directory, headSequence, time, segmentLimit, length, Segment.Create(directory, headSequence(), time.GetUtcNow(), length));
    }

    /// <summary>
    /// Writes <paramref name="entry"/> and returns the file it went to, which must be <see cref="Release"/>d once the
    /// entry is in the store (the file is deleted when all its entries are). Thread-safe, lock-free.
    /// </summary>
    /// <exception cref="IOException">The write failed (a full disk): the entry is not spooled.</exception>
    /// <exception cref="ArgumentException">The entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>).</exception>
    public object Append(AuditEntry entry)
    {
        var payload = AuditEntryCodec.Encode(entry);
        var record = new byte[RecordHeaderLength + payload.Length];
        RecordMagic.CopyTo(record, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32.HashToUInt32(payload));
        payload.CopyTo(record, RecordHeaderLength);
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var segment = Volatile.Read(ref _current);
            if (!segment.TryReserve(record.Length, out var offset))
            {
                continue; // retired and closed under us: the next read sees its successor
            }

            try
            {
                segment.Write(record, offset);
            }
            catch
            {
                segment.Release();
                throw;
            }

            if (offset + record.Length > _segmentLimit)
            {
                Rotate(segment);
            }

            return segment;
        }
    }

    /// <summary>Tells the spool that an entry <see cref="Append"/> wrote to <paramref name="file"/> is in the store.</summary>
    public static void Release(object file) => ((Segment)file).Release();

    /// <summary>
    /// Appends to <paramref name="store"/> every spooled entry it does not hold yet, from each spool file in
    /// <paramref name="directory"/> that no live process is writing, then deletes the file. An entry is already held when
    /// a record after the file's head sequence encodes alike (counted, so two equal entries need two records). Safe to
    /// repeat after a crash in the middle. Returns how many entries were appended.
    /// </summary>
    /// <exception cref="StorageException">The store refused; the spool files are kept for the next attempt.</exception>
    public static async Task<int> RecoverAsync(string directory, IAuditStore store, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(store);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        string[] paths;
        try
        {
            DeleteAbandonedNewFiles(directory);
            paths = Directory.GetFiles(directory, "*" + Extension);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(StorageError.Unavailable, $"cannot read the audit spool '{directory}': {e.Message}", e);
        }

        var appended = 0;
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            FileStream file;
            try
            {
                file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = Exclusive });
            }
            catch (IOException)
            {
                continue; // a live gateway's file (locked), or gone meanwhile
            }
            catch (UnauthorizedAccessException e)
            {
                throw new StorageException(StorageError.Unavailable, $"cannot open the audit spool file '{path}': {e.Message}", e);
            }

            await using (file)
            {
                var (head, entries) = await ReadAsync(file, cancellationToken);
                var missing = await MissingAsync(store, head, entries, cancellationToken);
                foreach (var chunk in missing.Chunk(ReplayBatch))
                {
                    await store.AppendAsync(chunk, AuditFlush.Disk, cancellationToken);
                    appended += chunk.Length;
                }

                File.Delete(path); // while still locked: nobody else replays it meanwhile
            }
        }

        return appended;
    }

    /// <summary>
    /// A file is created under a temporary name, locked and given its header, and only then named <c>.spool</c>: a
    /// recovery never sees one before its writer holds it. One left by a crash in between holds no entry.
    /// </summary>
    private static void DeleteAbandonedNewFiles(string directory)
    {
        foreach (var path in Directory.GetFiles(directory, "*" + TemporaryExtension))
        {
            try
            {
                using (new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = Exclusive }))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // being created right now by a live gateway
            }
        }
    }

    /// <summary>For tests: lets go of the current file as a killed process would (closed and unlocked, not deleted).</summary>
    internal void Abandon()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Volatile.Read(ref _current).Abandon();
    }

    /// <summary>
    /// Stops writing, after the queue has stopped releasing: the current file is deleted if every entry in it reached the
    /// store, else closed and left for <see cref="RecoverAsync"/> (the next start, or the next audit command).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Segment[] segments;
            lock (_segments)
            {
                segments = [.. _segments];
            }

            foreach (var segment in segments)
            {
                if (!segment.Retire())
                {
                    segment.Abandon();
                }
            }
        }
    }

    private static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task<(long Head, List<AuditEntry> Entries)> ReadAsync(FileStream file, CancellationToken cancellationToken)
    {
        var bytes = new byte[file.Length];
        await file.ReadExactlyAsync(bytes, cancellationToken);
        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, FileMagic.Length).SequenceEqual(FileMagic))
        {
            return (0, []); // cut off before its header was whole: nothing in it was ever acknowledged
        }

        var head = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(FileMagic.Length));
        var entries = new List<AuditEntry>();
        var position = HeaderLength;
        while (position + RecordHeaderLength <= bytes.Length)
        {
            var span = bytes.AsSpan(position);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
            if (span[..4].SequenceEqual(RecordMagic) && length <= (uint)(span.Length - RecordHeaderLength)
                && Crc32.HashToUInt32(span.Slice(RecordHeaderLength, (int)length)) == BinaryPrimitives.ReadUInt32LittleEndian(span[8..])
                && AuditEntryCodec.Decode(span.Slice(RecordHeaderLength, (int)length)) is { } entry)
            {
                entries.Add(entry);
                position += RecordHeaderLength + (int)length;
                continue;
            }

            // A hole (a writer killed between reserving and writing) or a torn tail: find the next record.
            var next = span[1..].IndexOf(RecordMagic);
            if (next < 0)
            {
                break;
            }

            position += 1 + next;
        }

        return (head, entries);
    }

    /// <summary>The entries of <paramref name="spooled"/> the store does not hold after <paramref name="head"/>, in spool order.</summary>
    private static async Task<List<AuditEntry>> MissingAsync(IAuditStore store, long head, List<AuditEntry> spooled, CancellationToken cancellationToken)
    {
        var missing = new List<AuditEntry>();
        if (spooled.Count == 0)
        {
            return missing;
        }

        var held = new Dictionary<UInt128, int>();
        var after = head;
        while (true)
        {
            var page = await store.ReadAsync(after, ReplayBatch, cancellationToken);
            foreach (var record in page)
            {
                var key = Key(record.Entry);
                held[key] = held.GetValueOrDefault(key) + 1;
            }

            if (page.Count < ReplayBatch)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        foreach (var entry in spooled)
        {
            var key = Key(entry);
            if (held.TryGetValue(key, out var count) && count > 0)
            {
                held[key] = count - 1;
            }
            else
            {
                missing.Add(entry);
            }
        }

        return missing;
    }

    private static UInt128 Key(AuditEntry entry)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(AuditEntryCodec.Encode(entry), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>One thread opens the next file; the others go on writing to the full one meanwhile (it has no hard limit).</summary>
    private void Rotate(Segment full)
    {
        if (Interlocked.CompareExchange(ref _rotating, 1, 0) != 0)
        {
            return;
        }

        try
        {
            if (!ReferenceEquals(Volatile.Read(ref _current), full) || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var next = Segment.Create(_directory, _headSequence(), _time.GetUtcNow(), _mapped);
            lock (_segments)
            {
                _segments.RemoveAll(s => s.IsClosed);
                _segments.Add(next);
            }

            Volatile.Write(ref _current, next);
            _ = full.Retire(); // deleted when its last entry reaches the store
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Keep writing to the full file; the next write past the limit tries again.
        }
        finally
        {
            Volatile.Write(ref _rotating, 0);
        }
    }

    /// <summary>One spool file: its handle (holding the lock), its mapping, the next free offset and how many of its entries are not in the store yet.</summary>
    private sealed class Segment
    {
        // State: the count of unreleased entries, plus two flags. Retired: no longer current. Closed: deleted; no more
        // entries may reserve in it (a reservation that finds it closed goes to the current file).
        private const int Retired = 1 << 29;
        private const int Closed = 1 << 30;
        private const int CountMask = Retired - 1;

        private readonly FileStream _file;

        // Taken once: FileStream.SafeFileHandle seeks the descriptor back to the stream's position on every read (so
        // that outside users of the handle see it), which was one lseek system call per spooled record.
        private readonly SafeFileHandle _handle;
        private readonly MemoryMappedFile _map;
        private readonly MemoryMappedViewAccessor _view;
        private readonly long _mapped;
        private long _end;
        private int _state;

        private Segment(string path, FileStream file, MemoryMappedFile map, MemoryMappedViewAccessor view, long mapped, long end)
        {
            Path = path;
            _file = file;
            _handle = file.SafeFileHandle;
            _map = map;
            _view = view;
            _mapped = mapped;
            _end = end;
        }

        public string Path { get; }

        public bool IsClosed => (Volatile.Read(ref _state) & Closed) != 0;

        /// <summary>Created under a temporary name, locked, given its header, then renamed: a recovery never sees it unlocked.</summary>
        public static Segment Create(string directory, long headSequence, DateTimeOffset now, long mapped)
        {
            var name = $"audit-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            var temporary = System.IO.Path.Combine(directory, name + TemporaryExtension);
            var path = System.IO.Path.Combine(directory, name + Extension);
            // PreallocationSize: fallocate (Linux) and the length set, so a write into the mapping never needs a block.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = Exclusive, PreallocationSize = mapped };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var file = new FileStream(temporary, options);
            MemoryMappedFile? map = null;
            MemoryMappedViewAccessor? view = null;
            try
            {
                var header = new byte[HeaderLength];
                FileMagic.CopyTo(header, 0);
                BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(FileMagic.Length), headSequence);
                RandomAccess.Write(file.SafeFileHandle, header, 0);
                map = MemoryMappedFile.CreateFromFile(file, mapName: null, mapped, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
                view = map.CreateViewAccessor(0, mapped, MemoryMappedFileAccess.ReadWrite);
                File.Move(temporary, path);
                return new Segment(path, file, map, view, mapped, HeaderLength);
            }
            catch
            {
                view?.Dispose();
                map?.Dispose();
                file.Dispose();
                File.Delete(temporary);
                throw;
            }
        }

        /// <summary>Writes <paramref name="record"/> at <paramref name="offset"/>: a copy into the mapping, or a <c>pwrite</c> past it.</summary>
        public void Write(byte[] record, long offset)
        {
            if (offset + record.Length <= _mapped)
            {
                _view.WriteArray(offset, record, 0, record.Length);
            }
            else
            {
                RandomAccess.Write(_handle, record, offset);
            }
        }

        public bool TryReserve(int length, out long offset)
        {
            offset = 0;
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if ((state & Closed) != 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
                {
                    offset = Interlocked.Add(ref _end, length) - length;
                    return true;
                }
            }
        }

        public void Release()
        {
            if ((Interlocked.Decrement(ref _state) & ~Retired) == 0)
            {
                TryClose();
            }
        }

        /// <summary>No longer current: deleted now if nothing in it waits for the store (true), else when the last is released.</summary>
        public bool Retire()
        {
            if ((Interlocked.Or(ref _state, Retired) & CountMask) == 0)
            {
                TryClose();
            }

            return (Volatile.Read(ref _state) & Closed) != 0;
        }

        /// <summary>Closed (and unlocked) but not deleted, as a process that died leaves it: for a later recovery.</summary>
        public void Abandon()
        {
            Interlocked.Or(ref _state, Closed);
            CloseFile();
        }

        /// <summary>Retired and empty: deleted, by whoever gets here first.</summary>
        private void TryClose()
        {
            if (Interlocked.CompareExchange(ref _state, Retired | Closed, Retired) != Retired)
            {
                return;
            }

            try
            {
                File.Delete(Path); // while still locked: a recovery never sees it half-deleted
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind, it is replayed on the next start, and every entry in it found already in the store.
            }
            finally
            {
                CloseFile();
            }
        }

        private void CloseFile()
        {
            _view.Dispose();
            _map.Dispose();
            _file.Dispose();
        }
    }
}
