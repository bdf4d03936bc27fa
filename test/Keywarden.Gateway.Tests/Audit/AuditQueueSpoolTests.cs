using Keywarden.Core.Audit;
using Keywarden.Gateway.Audit;
using Keywarden.Storage.Audit;
using Keywarden.Gateway.Tests.Audit.Support;
using Keywarden.Storage.Tests.Support;

namespace Keywarden.Gateway.Tests.Audit;

/// <summary>
/// The audit queue with a spool: spooled entries reach the store and leave no file after a clean stop; a queue stopped
/// while the store fails leaves them in the spool for the next start. Real files, a real SQLite store.
/// </summary>
public sealed class AuditQueueSpoolTests : IAsyncLifetime
{
    private readonly ListLogger<AuditQueue> _logger = new();
    private SpoolScratch _scratch = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scratch = await SpoolScratch.CreateAsync();

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    [Fact]
    public async Task AQueueWithASpool_WritesSpooledEntries_AndLeavesNoFileBehindAfterACleanStop()
    {
        var queue = new AuditQueue(_scratch.Temp.Store, new AuditQueueOptions(), _scratch.Time, _logger, AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time));
        queue.Start();

        Assert.True(queue.Spooling);
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(queue.TrySpool(Entry(i))));
        await queue.FlushAsync(Ct);
        await queue.DisposeAsync();

        Assert.Equal(100, (await ReadAllAsync()).Count);
        Assert.Equal(100, queue.LastWrittenSequence);
        Assert.Empty(Directory.GetFiles(_scratch.Directory));
    }

    [Fact]
    public async Task AQueueStoppedWhileTheStoreFails_KeepsItsEntriesInTheSpool_ForTheNextStart()
    {
        var store = new ControlledStore(_scratch.Temp.Store) { Failing = true };
        var queue = new AuditQueue(
            store,
            new AuditQueueOptions { FlushInterval = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromMinutes(1), MaxRetryDelay = TimeSpan.FromMinutes(1) },
            _scratch.Time,
            _logger,
            AuditSpool.Open(_scratch.Directory, () => 0, _scratch.Time));
        queue.Start();
        Assert.True(queue.TrySpool(Entry(1)));
        Assert.True(queue.TrySpool(Entry(2)));

        var stopping = queue.DisposeAsync().AsTask();
        _scratch.Time.Advance(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(Ct);

        Assert.Empty(await ReadAllAsync());
        Assert.Single(Directory.GetFiles(_scratch.Directory));
        Assert.Equal(2, await AuditSpool.RecoverAsync(_scratch.Directory, _scratch.Temp.Store, Ct));
        Assert.Equal(["/lists/1", "/lists/2"], (await ReadAllAsync()).Select(r => r.Entry.Path));
    }

    private static AuditEntry Entry(int i) => SpoolScratch.Entry(i);

    private Task<List<AuditRecord>> ReadAllAsync() => _scratch.ReadAllAsync(Ct);
}
