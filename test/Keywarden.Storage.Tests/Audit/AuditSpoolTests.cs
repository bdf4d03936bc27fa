using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Tokens;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Storage.Tests.Audit;

/// <summary>
/// The gateway's audit spool: entries written before the answer leaves, taken to the store later; what a dead process
/// left is replayed once, whatever part of it the store already had. Real files, a real SQLite store.
/// </summary>
public sealed class AuditSpoolTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"kw-spool-{Guid.NewGuid():N}");
    private TempStore _temp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _temp = await TempStore.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _temp.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task EntriesOfAProcessThatDied_AreAppendedOnce_WhateverPartTheStoreAlreadyHad()
    {
        var spool = AuditSpool.Open(_directory, () => 0, _time);
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
        await _temp.Store.AppendAsync(entries.Where((_, i) => i % 3 == 0).ToArray(), Ct); // what the writer got to the store
        spool.Abandon(); // the process dies

        var appended = await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct);
        var again = await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct);

        var paths = (await ReadAllAsync()).Select(r => r.Entry.Path).ToList();
        Assert.Equal(2000 - 667, appended);
        Assert.Equal(0, again);
        Assert.Equal(entries.Select(e => e.Path).Order(), paths.Order());
        Assert.Empty(Directory.GetFiles(_directory));
        Assert.True(AuditChain.Verify(await ReadAllAsync()).Intact);
    }

    [Fact]
    public async Task TwoEqualEntries_NeedTwoRecords()
    {
        var spool = AuditSpool.Open(_directory, () => 0, _time);
        spool.Append(Entry(1));
        spool.Append(Entry(1));
        await _temp.Store.AppendAsync([Entry(1)], Ct);
        spool.Abandon();

        Assert.Equal(1, await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct));
        Assert.Equal(2, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task AFileALiveSpoolWrites_IsNotReplayed()
    {
        using var spool = AuditSpool.Open(_directory, () => 0, _time);
        spool.Append(Entry(1));

        Assert.Equal(0, await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct));
        Assert.Empty(await ReadAllAsync());
        Assert.True(File.Exists(spool.CurrentPath));
    }

    [Fact]
    public async Task AFileCrashedWhileBeingCreated_IsDeleted_AndAFileBeingCreatedByALiveProcessIsNot()
    {
        Directory.CreateDirectory(_directory);
        var abandoned = Path.Combine(_directory, "audit-20261203T090000000-1-00000000.spool-new");
        await File.WriteAllBytesAsync(abandoned, "KWSPOOL1"u8.ToArray(), Ct);
        var live = Path.Combine(_directory, "audit-20261203T090000000-2-00000000.spool-new");
        await using var held = new FileStream(live, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

        Assert.Equal(0, await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct));
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public async Task AHoleAndATornTail_AreSkipped_AndEveryWholeRecordIsReplayed()
    {
        var spool = AuditSpool.Open(_directory, () => 0, _time);
        spool.Append(Entry(1));
        var path = spool.CurrentPath;
        spool.Abandon();
        var one = await File.ReadAllBytesAsync(path, Ct);
        var record = one[16..]; // after the header
        // Header, record 1, a hole (a writer killed between reserving and writing), record 1 again, half a record.
        await File.WriteAllBytesAsync(path, [.. one, .. new byte[record.Length], .. record, .. record[..(record.Length / 2)]], Ct);

        Assert.Equal(2, await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct));
        Assert.Equal(2, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task AFullFile_IsReplaced_AndEachFileIsDeletedOnceAllItsEntriesAreInTheStore()
    {
        var spool = AuditSpool.Open(_directory, () => 0, _time, segmentLimit: 2048);
        var files = Enumerable.Range(0, 40).Select(i => spool.Append(Entry(i))).ToList();
        var written = Directory.GetFiles(_directory).Length;

        foreach (var file in files)
        {
            AuditSpool.Release(file);
        }

        var afterRelease = Directory.GetFiles(_directory);
        spool.Dispose();

        Assert.True(written > 2, $"only {written} files for 40 entries of ~150 bytes with a 2 KiB limit");
        Assert.Equal([spool.CurrentPath], afterRelease); // the current one stays while the spool is open
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task ASpooledEntry_IsNormalised_SoNoTokenShapedTextReachesTheFile()
    {
        var token = GatewayToken.Generate().Value;
        var spool = AuditSpool.Open(_directory, () => 0, _time);
        spool.Append(Entry(1) with { Path = "/lists/" + token });
        var path = spool.CurrentPath;
        spool.Abandon();

        var bytes = await File.ReadAllBytesAsync(path, Ct);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token[3..])));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }

        await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct);
        Assert.Equal("/lists/[redacted]", Assert.Single(await ReadAllAsync()).Entry.Path);
    }

    private static AuditEntry Entry(int i) =>
        new(T0.AddMilliseconds(i), AuditKind.Request, "tok_7gq2m0x4k9c1", "up_newsletter", "key_1", "203.0.113.7", "GET", $"/lists/{i}", AuditDecision.Allow, "allow", 200, 1.5, 0, 100);

    private async Task<List<AuditRecord>> ReadAllAsync()
    {
        var records = new List<AuditRecord>();
        await foreach (var record in _temp.Store.ReadAllAsync(Ct))
        {
            records.Add(record);
        }

        return records;
    }
}
