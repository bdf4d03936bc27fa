using System.Buffers.Binary;
using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Tokens;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Tests.Support;

namespace Keywarden.Storage.Tests.Audit;

/// <summary>
/// The gateway's audit spool: entries written before the answer leaves, taken to the store later; what a dead process
/// left is replayed once, whatever part of it the store already had. Real files, a real SQLite store.
/// </summary>
public sealed class AuditSpoolTests : IAsyncLifetime
{
    private SpoolScratch _scratch = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scratch = await SpoolScratch.CreateAsync();

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    [Fact]
    public async Task EntriesOfAProcessThatDied_AreAppendedOnce_WhateverPartTheStoreAlreadyHad()
    {
        var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time);
        var entries = Enumerable.Range(0, 2000).Select(Entry).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(
            () =>
            {
                for (var i = t; i < entries.Length; i += 4)
                {
                    spool.Append(entries[i]);
                }
            },
            Ct)));
        await _scratch.Temp.Store.AppendAsync(entries.Where((_, i) => i % 3 == 0).ToArray(), Ct); // what the writer got to the store
        spool.Abandon(); // the process dies

        var appended = await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct);
        var again = await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct);

        var paths = (await ReadAllAsync()).Select(r => r.Entry.Path).ToList();
        Assert.Equal(2000 - 667, appended);
        Assert.Equal(0, again);
        Assert.Equal(entries.Select(e => e.Path).Order(), paths.Order());
        Assert.Empty(Directory.GetFiles(_scratch.Directory));
        Assert.True(AuditChain.Verify(await ReadAllAsync()).Intact);
    }

    [Fact]
    public async Task TwoEqualEntries_NeedTwoRecords()
    {
        var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time);
        spool.Append(Entry(1));
        spool.Append(Entry(1));
        await _scratch.Temp.Store.AppendAsync([Entry(1)], Ct);
        spool.Abandon();

        Assert.Equal(1, await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct));
        Assert.Equal(2, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task AFileALiveSpoolWrites_IsNotReplayed()
    {
        using var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time);
        spool.Append(Entry(1));

        Assert.Equal(0, await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct));
        Assert.Empty(await ReadAllAsync());
        Assert.True(File.Exists(spool.CurrentPath));
    }

    [Fact]
    public async Task AFileCrashedWhileBeingCreated_IsDeleted_AndAFileBeingCreatedByALiveProcessIsNot()
    {
        Directory.CreateDirectory(_scratch.Directory);
        var abandoned = Path.Combine(_scratch.Directory, "audit-20261203T090000000-1-00000000.spool-new");
        await File.WriteAllBytesAsync(abandoned, "KWSPOOL1"u8.ToArray(), Ct);
        var live = Path.Combine(_scratch.Directory, "audit-20261203T090000000-2-00000000.spool-new");
        await using var held = new FileStream(live, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

        Assert.Equal(0, await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct));
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public async Task AHoleAndATornTail_AreSkipped_AndEveryWholeRecordIsReplayed()
    {
        var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time);
        spool.Append(Entry(1));
        var path = spool.CurrentPath;
        spool.Abandon();
        var file = await File.ReadAllBytesAsync(path, Ct);
        var length = 12 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(16 + 4)); // after the header: KWRC, length, CRC
        var one = file[..(16 + length)];
        var record = one[16..];
        Assert.True(file.AsSpan(one.Length).IndexOfAnyExcept((byte)0) < 0, "the rest of the (preallocated, mapped) file is zeros");
        // Header, record 1, a hole (a writer killed between reserving and writing), record 1 again, half a record.
        await File.WriteAllBytesAsync(path, [.. one, .. new byte[record.Length], .. record, .. record[..(record.Length / 2)]], Ct);

        Assert.Equal(2, await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct));
        Assert.Equal(2, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task RecordsPastTheMappedPart_AreWrittenToTheFile_AndReplayedWithTheOthers()
    {
        // 400 mapped bytes hold the header and one record or two; the rest goes past the mapping, into the same file.
        var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time, segmentLimit: 1024 * 1024, mapped: 400);
        for (var i = 1; i <= 10; i++)
        {
            spool.Append(Entry(i));
        }

        var path = spool.CurrentPath;
        spool.Abandon();

        Assert.True(new FileInfo(path).Length > 400);
        Assert.Equal(10, await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => Entry(i).Path), (await ReadAllAsync()).Select(r => r.Entry.Path));
    }

    [Fact]
    public async Task AFullFile_IsReplaced_AndEachFileIsDeletedOnceAllItsEntriesAreInTheStore()
    {
        var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time, segmentLimit: 2048);
        var files = Enumerable.Range(0, 40).Select(i => spool.Append(Entry(i))).ToList();
        var written = Directory.GetFiles(_scratch.Directory).Length;

        foreach (var file in files)
        {
            AuditSpool.Release(file);
        }

        var afterRelease = Directory.GetFiles(_scratch.Directory);
        spool.Dispose();

        Assert.True(written > 2, $"only {written} files for 40 entries of ~150 bytes with a 2 KiB limit");
        Assert.Equal([spool.CurrentPath], afterRelease); // the current one stays while the spool is open
        Assert.Empty(Directory.GetFiles(_scratch.Directory));
    }

    [Fact]
    public async Task ASpooledEntry_IsNormalised_SoNoTokenShapedTextReachesTheFile()
    {
        var token = GatewayToken.Generate().Value;
        var spool = AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time);
        spool.Append(Entry(1) with { Path = "/lists/" + token });
        var path = spool.CurrentPath;
        spool.Abandon();

        var bytes = await File.ReadAllBytesAsync(path, Ct);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token[3..])));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_scratch.Directory));
        }

        await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct);
        Assert.Equal("/lists/[redacted]", Assert.Single(await ReadAllAsync()).Entry.Path);
    }

    private static AuditEntry Entry(int i) => SpoolScratch.Entry(i);

    private Task<List<AuditRecord>> ReadAllAsync() => _scratch.ReadAllAsync(Ct);
}
