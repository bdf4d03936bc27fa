using Keywarden.Core.Crypto;
using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;
using Keywarden.Testing;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class ChangeFeedTests : ChangeFeedContract
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    [Fact]
    public async Task WaitForChange_ReadsTheRevisionOncePerInterval_AndBetweenReadsIsATimer()
    {
        var interval = TimeSpan.FromSeconds(5);
        var time = new TimerCountingTime();
        var store = await _database.OpenAsync(new SqliteStoreOptions { ChangePollInterval = interval }, time);
        var other = await _database.OpenAsync();
        var before = await store.GetRevisionAsync(Ct);

        // Each read that finds no change ends in one timer: counting timers counts reads.
        var waiting = store.WaitForChangeAsync(before, Ct);
        await time.TimersCreated(1).WaitAsync(Patience, Ct);
        time.Advance(interval);
        await time.TimersCreated(2).WaitAsync(Patience, Ct);

        using var master = MasterKey.Generate();
        var upstream = Samples.Upstream();
        await other.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, master), AuditSamples.Change, Ct);
        time.Advance(interval - TimeSpan.FromMilliseconds(1));

        Assert.False(waiting.IsCompleted, "the write was seen before the next read was due");
        Assert.Equal(2, time.Timers);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(await other.GetRevisionAsync(Ct), await waiting.WaitAsync(Patience, Ct));
        Assert.Equal(2, time.Timers);
    }

    [Fact]
    public async Task Open_WithAPollIntervalThatIsNotPositive_IsMisuse()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _database.OpenAsync(new SqliteStoreOptions { ChangePollInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteStoreProvider(new SqliteStoreOptions { ChangePollInterval = TimeSpan.FromMilliseconds(-1) }));
    }

    [Fact]
    public void DefaultPollInterval_IsWhatTheGatewayHasPolledAt()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), new SqliteStoreOptions().ChangePollInterval);
    }
}
