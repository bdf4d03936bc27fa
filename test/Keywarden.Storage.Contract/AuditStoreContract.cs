using Keywarden.Core.Audit;

namespace Keywarden.Storage.Contract;

/// <summary><see cref="IAuditStore"/>: one hash chain, appended in order by any number of writers, read back whole.</summary>
public abstract class AuditStoreContract : StoreContract
{

    [Fact]
    public async Task Append_ThenReadAndTail_ReturnEveryFieldAsLinked_AtMillisecondPrecision()
    {
        var entries = AuditSamples.Requests(6).Append(AuditSamples.Admin(7)).ToArray();

        var appended = await Store.AppendAsync(entries, Ct);
        var read = await Store.ReadAsync(0, 100, Ct);
        var tail = await Store.TailAsync(3, Ct);

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], read.Select(r => r.Sequence));
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Equal(appended[i].Entry, read[i].Entry);
            Assert.Equal(appended[i].PreviousHash, read[i].PreviousHash);
            Assert.Equal(appended[i].Hash, read[i].Hash);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(entries[i].Time.ToUnixTimeMilliseconds()), read[i].Entry.Time);
            Assert.Equal(entries[i] with { Time = read[i].Entry.Time }, read[i].Entry);
        }

        Assert.Equal([5L, 6, 7], tail.Select(r => r.Sequence));
        Assert.True(AuditChain.Verify(read).Intact);
    }

    [Fact]
    public async Task Append_InSeveralCalls_ContinuesOneChain()
    {
        await Store.AppendAsync(AuditSamples.Requests(3), Ct);
        await Store.AppendAsync([AuditSamples.Admin(1)], Ct);
        await Store.AppendAsync(AuditSamples.Requests(2, from: 10), Ct);

        var all = await ToListAsync(Store.ReadAllAsync(Ct));

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(AuditChain.Genesis, all[0].PreviousHash);
        Assert.True(AuditChain.Verify(all).Intact);
    }

    [Fact]
    public async Task Read_AfterASequence_PagesInOrder()
    {
        await Store.AppendAsync(AuditSamples.Requests(10), Ct);

        var page = await Store.ReadAsync(4, 3, Ct);

        Assert.Equal([5L, 6, 7], page.Select(r => r.Sequence));
        Assert.Empty(await Store.ReadAsync(10, 3, Ct));
        Assert.Empty(await Store.TailAsync(0, Ct));
        Assert.Equal(10, (await Store.TailAsync(50, Ct)).Count);
    }

    [Fact]
    public async Task SequenceBefore_FindsTheLastRecordBeforeATime()
    {
        Assert.Equal(0, await Store.SequenceBeforeAsync(Samples.T0, Ct));
        await Store.AppendAsync(AuditSamples.Requests(100), Ct); // one millisecond apart from T0

        Assert.Equal(0, await Store.SequenceBeforeAsync(Samples.T0, Ct));
        Assert.Equal(1, await Store.SequenceBeforeAsync(Samples.T0.AddMilliseconds(1), Ct));
        Assert.Equal(42, await Store.SequenceBeforeAsync(Samples.T0.AddMilliseconds(42), Ct));
        Assert.Equal(100, await Store.SequenceBeforeAsync(Samples.T0.AddDays(1), Ct));
        var since = await Store.ReadAsync(await Store.SequenceBeforeAsync(Samples.T0.AddMilliseconds(90), Ct), 100, Ct);
        Assert.Equal(Enumerable.Range(91, 10).Select(i => (long)i), since.Select(r => r.Sequence));
    }

    [Fact]
    public async Task ReadAll_StreamsALogLargerThanOnePage()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.AppendAsync(AuditSamples.Requests(256, from: i * 256), Ct);
        }

        var verification = await AuditChain.VerifyAsync(Store.ReadAllAsync(Ct), cancellationToken: Ct);

        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(2560, verification.RecordsChecked);
    }

    [Fact]
    public async Task Append_Empty_WritesNothing()
    {
        Assert.Empty(await Store.AppendAsync([], Ct));
        Assert.Empty(await Store.ReadAsync(0, 10, Ct));
    }

    [Fact]
    public async Task Append_AnEntryThatCanNeverBeRecorded_IsRefusedAndNothingIsWritten()
    {
        var entries = new[] { AuditSamples.Request(1), AuditSamples.Request(2) with { LatencyMs = double.NaN } };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(entries, Ct));

        Assert.Empty(await Store.ReadAsync(0, 10, Ct));
    }

    [Fact]
    public async Task ConcurrentAppenders_FromTwoStoresOnOneDatabase_ProduceOneIntactChainWithoutDuplicates()
    {
        // Two store instances stand in for two processes; each has two appending tasks.
        var other = await OpenAnotherInstanceAsync();
        var stores = new IAuditStore[] { Store, Store, other, other };

        await Task.WhenAll(stores.Select((store, task) => Task.Run(
            async () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    await store.AppendAsync([AuditSamples.Request((task * 1000) + i)], Ct);
                }
            },
            Ct)));

        var all = await ToListAsync(Store.ReadAllAsync(Ct));
        Assert.Equal(800, all.Count);
        Assert.Equal(Enumerable.Range(1, 800).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(800, all.Select(r => r.Entry.TokenId).Distinct().Count());
        Assert.True(AuditChain.Verify(all).Intact);
    }

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
