using Keywarden.Core.Audit;
using Keywarden.Gateway.Audit;
using Keywarden.Storage.Audit;
using Keywarden.Gateway.Tests.Audit.Support;
using Keywarden.Storage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests.Audit;

/// <summary>
/// The audit queue with a spool: spooled entries reach the store and leave no file after a clean stop; a queue stopped
/// while the store fails leaves them in the spool for the next start. Real files, a real SQLite store.
/// </summary>
public sealed class AuditQueueSpoolTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly ListLogger<AuditQueue> _logger = new();
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
    public async Task AQueueWithASpool_WritesSpooledEntries_AndLeavesNoFileBehindAfterACleanStop()
    {
        var queue = new AuditQueue(_temp.Store, new AuditQueueOptions(), _time, _logger, AuditSpool.Open(_directory, () => 0, _time));
        queue.Start();

        Assert.True(queue.Spooling);
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(queue.TrySpool(Entry(i))));
        await queue.FlushAsync(Ct);
        await queue.DisposeAsync();

        Assert.Equal(100, (await ReadAllAsync()).Count);
        Assert.Equal(100, queue.LastWrittenSequence);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task AQueueStoppedWhileTheStoreFails_KeepsItsEntriesInTheSpool_ForTheNextStart()
    {
        var store = new ControlledStore(_temp.Store) { Failing = true };
        var queue = new AuditQueue(
            store,
            new AuditQueueOptions { FlushInterval = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromMinutes(1), MaxRetryDelay = TimeSpan.FromMinutes(1) },
            _time,
            _logger,
            AuditSpool.Open(_directory, () => 0, _time));
        queue.Start();
        Assert.True(queue.TrySpool(Entry(1)));
        Assert.True(queue.TrySpool(Entry(2)));

        var stopping = queue.DisposeAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(Ct);

        Assert.Empty(await ReadAllAsync());
        Assert.Single(Directory.GetFiles(_directory));
        Assert.Equal(2, await AuditSpool.RecoverAsync(_directory, _temp.Store, Ct));
        Assert.Equal(["/lists/1", "/lists/2"], (await ReadAllAsync()).Select(r => r.Entry.Path));
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
