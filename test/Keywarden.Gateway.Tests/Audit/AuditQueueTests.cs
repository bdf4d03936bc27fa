using Keywarden.Core.Audit;
using Keywarden.Gateway.Audit;
using Keywarden.Gateway.Tests.Audit.Support;
using Keywarden.Storage.Tests.Support;
using Keywarden.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests.Audit;

public sealed class AuditQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly ListLogger<AuditQueue> _logger = new();
    private TempStore _temp = null!;
    private ControlledStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _temp = await TempStore.CreateAsync();
        _store = new ControlledStore(_temp.Store);
    }

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Dispose_WritesEverythingAccepted_WithoutWaitingForTheBatchInterval()
    {
        var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.FromHours(1) });
        queue.Start();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(queue.TryEnqueue(Entry(i)));
        }

        await queue.DisposeAsync();

        var records = await ReadAllAsync();
        Assert.Equal(1000, records.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"/lists/{i}"), records.Select(r => r.Entry.Path));
        Assert.True(AuditChain.Verify(records).Intact);
        Assert.Equal(1000, queue.Written);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Writer_RunsAFewNiceLevelsBelowTheThreadThatStartedIt_OnLinux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread nice values are read from /proc");
        var starter = Nice("/proc/thread-self/stat");
        var before = WriterThreads();
        var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.Zero });
        queue.Start();
        Assert.True(queue.TryEnqueue(Entry(1)));
        await queue.FlushAsync(Ct); // the writer lowers itself before its first batch

        var writers = WriterThreads().Except(before).Select(t => Nice($"/proc/self/task/{t}/stat")).ToList();
        await queue.DisposeAsync();

        // Other tests of this assembly may start writers meanwhile (they run in parallel): each lowers itself the same way.
        Assert.NotEmpty(writers);
        Assert.All(writers, nice => Assert.Equal(Math.Min(starter + 3, 19), nice));

        static List<string> WriterThreads() =>
            [.. Directory.GetDirectories("/proc/self/task").Where(t => Comm(t) == "keywarden-audit").Select(t => Path.GetFileName(t))];

        // Any thread of the process (a retiring pool thread, an earlier test's writer) may exit while the list is read.
        static string? Comm(string task)
        {
            try
            {
                return File.ReadAllText(Path.Combine(task, "comm")).Trim();
            }
            catch (IOException)
            {
                return null;
            }
        }

        // Field 19 of stat; the fields after the command name's closing parenthesis start at field 3.
        static int Nice(string stat)
        {
            var text = File.ReadAllText(stat);
            return int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task Dispose_OfAQueueNeverStarted_StillWritesWhatItAccepted()
    {
        var queue = Create(new AuditQueueOptions());
        Assert.True(queue.TryEnqueue(Entry(1)));

        await queue.DisposeAsync();

        Assert.Single(await ReadAllAsync());
        Assert.False(queue.TryEnqueue(Entry(2)));
    }

    [Fact]
    public async Task Flush_WaitsForEveryEntryEnqueuedBeforeIt_AndCutsTheBatchIntervalShort()
    {
        await using var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.FromHours(1) });
        queue.Start();
        for (var i = 0; i < 300; i++)
        {
            queue.TryEnqueue(Entry(i));
        }

        await queue.FlushAsync(Ct);

        Assert.Equal(300, queue.Written);
        Assert.Equal(300, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Entries_WaitAtMostTheFlushInterval_ForABatchToFill()
    {
        await using var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.FromMilliseconds(50) });
        queue.Start();
        queue.TryEnqueue(Entry(1));
        await Wait.UntilAsync(() => queue.Lingering, "the queue lingers");
        queue.TryEnqueue(Entry(2));

        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Equal(0, queue.Written);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Wait.UntilAsync(() => queue.Written == 2, "the queue has written both records");

        Assert.Equal(1, _store.Calls); // both entries in one transaction
    }

    [Fact]
    public async Task TryEnqueue_WhenCapacityIsReached_ReturnsFalse_UntilTheWriterCatchesUp()
    {
        await using var queue = Create(new AuditQueueOptions { Capacity = 10, MaxBatch = 4, FlushInterval = TimeSpan.Zero });
        queue.Start();
        _store.Close();
        Assert.True(queue.TryEnqueue(Entry(0)));
        await _store.Entered.Task.WaitAsync(Ct); // the writer holds entry 0 at the gate; the queue itself is empty

        var accepted = Enumerable.Range(1, 11).Select(i => queue.TryEnqueue(Entry(i))).ToArray();

        Assert.Equal(Enumerable.Repeat(true, 10).Append(false), accepted);
        Assert.Equal(11, queue.Depth);
        Assert.True(queue.Healthy);

        _store.Open();
        await queue.FlushAsync(Ct);

        Assert.Equal(11, queue.Written);
        Assert.Equal(0, queue.Depth);
        Assert.True(queue.TryEnqueue(Entry(99)));
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public async Task FailOpen_IsItselfAudited_AndAFullQueueDropsAndLogsTheCount()
    {
        await using var queue = Create(new AuditQueueOptions { Capacity = 3, MaxBatch = 10, FlushInterval = TimeSpan.Zero, FailOpen = true });
        _store.Close();
        queue.Start();
        await _store.Entered.Task.WaitAsync(Ct); // the writer holds the fail-open record at the gate

        var accepted = Enumerable.Range(1, 5).Select(i => queue.TryEnqueue(Entry(i))).ToArray();
        _store.Open();
        await queue.FlushAsync(Ct);

        Assert.All(accepted, Assert.True);
        Assert.Equal(2, queue.Dropped);
        var records = await ReadAllAsync();
        Assert.Equal(4, records.Count);
        Assert.Equal(AuditKind.Admin, records[0].Entry.Kind);
        Assert.Equal("audit.fail-open", records[0].Entry.Method);
        Assert.Equal(T0, records[0].Entry.Time);
        Assert.Single(_logger.Messages(101));
        Assert.Contains(_logger.Messages(105), m => m.Contains("2 audit entries were dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthy_TurnsFalseWhenTheStoreFails_RefusesEntries_AndRecoversWithoutLosingTheBatch()
    {
        await using var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromSeconds(1) });
        queue.Start();
        _store.Failing = true;

        Assert.True(queue.TryEnqueue(Entry(1)));
        await Wait.UntilAsync(() => !queue.Healthy, "the queue reports itself unhealthy");

        Assert.False(queue.TryEnqueue(Entry(2)));
        Assert.Equal(1, queue.Depth);
        Assert.Single(_logger.Messages(102));

        _store.Failing = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        await queue.FlushAsync(Ct);

        Assert.True(queue.Healthy);
        Assert.True(queue.TryEnqueue(Entry(3)));
        await queue.FlushAsync(Ct);
        Assert.Equal(["/lists/1", "/lists/3"], (await ReadAllAsync()).Select(r => r.Entry.Path));
        Assert.Single(_logger.Messages(104));
        Assert.DoesNotContain(_logger.Entries, e => e.Message.Contains("/lists/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_BackOff_DoublingUpToTheMaximum()
    {
        await using var queue = Create(new AuditQueueOptions
        {
            FlushInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(3),
        });
        queue.Start();
        _store.Failing = true;
        queue.TryEnqueue(Entry(1));

        foreach (var (advance, calls) in new[] { (0, 1), (1, 2), (2, 3), (3, 4), (3, 5) })
        {
            _time.Advance(TimeSpan.FromSeconds(advance));
            await Wait.UntilAsync(() => _store.Calls == calls && _logger.Entries.Count(e => e.Id.Id is 102 or 103) == calls, "each failed write is logged");
        }

        Assert.Contains(_logger.Messages(103), m => m.Contains("after 4 attempts; retrying in 00:00:03", StringComparison.Ordinal));
        _store.Failing = false;
        _time.Advance(TimeSpan.FromSeconds(3));
        await queue.FlushAsync(Ct);
    }

    [Fact]
    public async Task Dispose_WithAStoreThatStaysDown_GivesUpAfterTheShutdownTimeout_AndLogsHowManyWereLost()
    {
        var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(5), RetryDelay = TimeSpan.FromMinutes(1), MaxRetryDelay = TimeSpan.FromMinutes(1) });
        queue.Start();
        _store.Failing = true;
        queue.TryEnqueue(Entry(1));
        await Wait.UntilAsync(() => !queue.Healthy, "the queue reports itself unhealthy");
        queue.TryEnqueue(Entry(2)); // refused: the store is failing

        var disposal = queue.DisposeAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));
        await disposal.WaitAsync(Ct);

        Assert.Contains(_logger.Messages(106), m => m.StartsWith("Shutdown: 1 accepted audit entries", StringComparison.Ordinal));
        Assert.Equal(0, queue.Depth);
        Assert.Empty(await ReadAllAsync());
    }

    [Fact]
    public async Task Dispose_WhileAnAppendHangs_AndTheStoreFailsItOnCancellation_GivesUpWithoutCrashingTheProcess()
    {
        // A store error thrown once shutdown has cancelled the append used to escape the writer thread: an unhandled
        // exception on a thread of its own ends the process (this test's host included), losing the count of lost entries.
        var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(5) });
        queue.Start();
        _store.Close();
        _store.FailsWhenCancelled = true;
        queue.TryEnqueue(Entry(1));
        await _store.Entered.Task.WaitAsync(Ct);

        var disposal = queue.DisposeAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));
        await disposal.WaitAsync(Ct);

        Assert.Contains(_logger.Messages(106), m => m.StartsWith("Shutdown: 1 accepted audit entries", StringComparison.Ordinal));
        Assert.Empty(await ReadAllAsync());
    }

    [Fact]
    public async Task ManyEnqueuers_AtOnce_EndUpInOneIntactChain()
    {
        var queue = Create(new AuditQueueOptions { FlushInterval = TimeSpan.Zero });
        queue.Start();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(
            () =>
            {
                for (var i = 0; i < 2500; i++)
                {
                    Assert.True(queue.TryEnqueue(Entry((t * 10_000) + i)));
                }
            },
            Ct)));
        await queue.DisposeAsync();

        var records = await ReadAllAsync();
        Assert.Equal(10_000, records.Count);
        Assert.Equal(10_000, records.Select(r => r.Entry.Path).Distinct().Count());
        Assert.True(AuditChain.Verify(records).Intact);
    }

    [Fact]
    public async Task WriteAsync_CompletesOnlyOnceTheEntryIsCommitted()
    {
        await using var queue = Create(new AuditQueueOptions());
        queue.Start();
        _store.Close();

        var written = queue.WriteAsync(Entry(1));
        await _store.Entered.Task.WaitAsync(Ct);

        Assert.False(written.IsCompleted);
        Assert.Empty(await ReadAllAsync());
        _store.Open();
        Assert.True(await written.WaitAsync(Ct));
        Assert.Equal(["/lists/1"], (await ReadAllAsync()).Select(r => r.Entry.Path));
    }

    [Fact]
    public async Task WriteAsync_WhileATransactionCommits_GoesIntoTheNextOne_WithEveryOtherEntryThatArrived()
    {
        await using var queue = Create(new AuditQueueOptions());
        queue.Start();
        _store.Close();
        var first = queue.WriteAsync(Entry(0));
        await _store.Entered.Task.WaitAsync(Ct);

        var waiting = Enumerable.Range(1, 50).Select(i => queue.WriteAsync(Entry(i))).ToArray();
        _store.Open();

        Assert.All(await Task.WhenAll(waiting.Append(first)).WaitAsync(Ct), Assert.True);
        Assert.Equal(2, _store.Calls); // group commit: one transaction for the first, one for the 50 that queued behind it
    }

    [Fact]
    public async Task WriteAsync_IsNotRefusedByTheCapacity_WhichOnlyDecidesAdmission()
    {
        await using var queue = Create(new AuditQueueOptions { Capacity = 2 });
        queue.Start();
        _store.Close();
        var writes = new List<Task<bool>> { queue.WriteAsync(Entry(0)) };
        await _store.Entered.Task.WaitAsync(Ct);

        writes.AddRange(Enumerable.Range(1, 4).Select(i => queue.WriteAsync(Entry(i))));

        Assert.False(queue.HasRoom);
        Assert.False(queue.TryEnqueue(Entry(9)));
        _store.Open();
        Assert.All(await Task.WhenAll(writes).WaitAsync(Ct), Assert.True);
        Assert.True(queue.HasRoom);
        Assert.Equal(5, (await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task WriteAsync_WhenTheStoreFails_CompletesFalseAtOnce_AndTheEntryIsWrittenOnRecovery()
    {
        await using var queue = Create(new AuditQueueOptions { RetryDelay = TimeSpan.FromSeconds(1) });
        queue.Start();
        _store.Close();
        var inBatch = queue.WriteAsync(Entry(1));
        await _store.Entered.Task.WaitAsync(Ct);
        var behind = queue.WriteAsync(Entry(2));
        _store.Failing = true;
        _store.Open();

        Assert.False(await inBatch.WaitAsync(Ct));
        Assert.False(await behind.WaitAsync(Ct));
        Assert.False(await queue.WriteAsync(Entry(3)).WaitAsync(Ct)); // while failing: not waited for
        Assert.Contains("the store is failing (StorageException)", queue.DescribeBacklog(), StringComparison.Ordinal);

        _store.Failing = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        await queue.FlushAsync(Ct);
        Assert.Equal(["/lists/1", "/lists/2", "/lists/3"], (await ReadAllAsync()).Select(r => r.Entry.Path));
    }

    [Fact]
    public async Task WriteAsync_FailOpen_WithAFailingStore_DoesNotWait()
    {
        await using var queue = Create(new AuditQueueOptions { FailOpen = true, FlushInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromSeconds(1) });
        queue.Start();
        await queue.FlushAsync(Ct);
        _store.Failing = true;
        Assert.True(queue.TryEnqueue(Entry(1)));
        await Wait.UntilAsync(() => !queue.Healthy, "the queue reports itself unhealthy");

        Assert.False(await queue.WriteAsync(Entry(2)).WaitAsync(Ct));

        _store.Failing = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        await queue.FlushAsync(Ct);
        Assert.Equal(["/lists/1", "/lists/2"], (await ReadAllAsync()).Where(r => r.Entry.Kind == AuditKind.Request).Select(r => r.Entry.Path));
    }

    [Fact]
    public async Task DescribeBacklog_NamesAWriterStuckInsideAnAppend_AndTheLastCommit()
    {
        await using var queue = Create(new AuditQueueOptions());
        queue.Start();
        Assert.True(await queue.WriteAsync(Entry(0)));
        _store.Close();
        var stuck = queue.WriteAsync(Entry(1));
        await _store.Entered.Task.WaitAsync(Ct);
        _time.Advance(TimeSpan.FromMilliseconds(1500));

        var backlog = queue.DescribeBacklog();

        Assert.Contains("inside one append for 1500 ms", backlog, StringComparison.Ordinal);
        Assert.Contains("1 entries wait", backlog, StringComparison.Ordinal);
        Assert.Contains("for 1 records", backlog, StringComparison.Ordinal);
        _store.Open();
        Assert.True(await stuck.WaitAsync(Ct));
    }

    [Fact]
    public async Task Misuse_IsRefusedWithStandardExceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new AuditQueueOptions { Capacity = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new AuditQueueOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(1) }));
        await using var queue = Create(new AuditQueueOptions());

        queue.TryEnqueue(Entry(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.FlushAsync(Ct));
        Assert.Throws<ArgumentException>(() => queue.TryEnqueue(Entry(1) with { LatencyMs = double.NaN }));
        queue.Start();
        Assert.Throws<InvalidOperationException>(queue.Start);
    }

    private static AuditEntry Entry(int i) =>
        new(T0.AddMilliseconds(i), AuditKind.Request, "tok_7gq2m0x4k9c1", "up_newsletter", "key_1", "203.0.113.7", "GET", $"/lists/{i}", AuditDecision.Allow, "policy.paths", 200, 1.5, 0, 100);

    private AuditQueue Create(AuditQueueOptions options) => new(_store, options, _time, _logger);

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
