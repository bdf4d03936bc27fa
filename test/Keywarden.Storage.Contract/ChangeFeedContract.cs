namespace Keywarden.Storage.Contract;

/// <summary>
/// <see cref="IStoreChanges"/>: a waiter wakes on a write made by any instance on the same database, and only then; it
/// can be cancelled. How promptly it wakes is the engine's (a poll interval, a notification), so these tests allow seconds.
/// </summary>
public abstract class ChangeFeedContract : StoreContract
{
    // Far above any engine's wake-up time; a test that reaches it has failed, it does not wait for it otherwise.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // How long a waiter is watched for a wake-up that must not come.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task WaitForChange_WhenTheRevisionAlreadyDiffers_ReturnsItAtOnce()
    {
        await AddUpstreamAsync(Store, "newsletter");
        var revision = await Store.GetRevisionAsync(Ct);

        Assert.Equal(revision, await Store.WaitForChangeAsync(revision - 1, Ct).WaitAsync(Patience, Ct));
    }

    [Fact]
    public async Task WaitForChange_AWriteFromAnotherInstance_WakesTheWaiterWithTheNewRevision()
    {
        var other = await OpenAnotherInstanceAsync();
        var before = await Store.GetRevisionAsync(Ct);
        var waiting = Store.WaitForChangeAsync(before, Ct);

        await AddUpstreamAsync(other, "newsletter");

        var woken = await waiting.WaitAsync(Patience, Ct);
        Assert.NotEqual(before, woken);
        Assert.Equal(await other.GetRevisionAsync(Ct), woken);
    }

    [Fact]
    public async Task WaitForChange_SeveralWaiters_AreAllWokenByOneWrite()
    {
        var other = await OpenAnotherInstanceAsync();
        var before = await Store.GetRevisionAsync(Ct);
        var waiters = new[] { Store.WaitForChangeAsync(before, Ct), Store.WaitForChangeAsync(before, Ct), other.WaitForChangeAsync(before, Ct) };

        await AddUpstreamAsync(Store, "newsletter");

        var after = await Store.GetRevisionAsync(Ct);
        Assert.All(await Task.WhenAll(waiters).WaitAsync(Patience, Ct), woken => Assert.Equal(after, woken));
    }

    [Fact]
    public async Task WaitForChange_AuditAppendsAndReads_DoNotWakeIt_ItWaitsUntilCancelled()
    {
        await AddUpstreamAsync(Store, "newsletter");
        var before = await Store.GetRevisionAsync(Ct);
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = Store.WaitForChangeAsync(before, quiet.Token);

        await Store.AppendAsync([AuditSamples.Admin(1)], Ct);
        await Store.ListTokensAsync(Ct);
        quiet.CancelAfter(Quiet);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience, Ct));
        Assert.Equal(before, await Store.GetRevisionAsync(Ct));
    }

    [Fact]
    public async Task WaitForChange_WithATokenAlreadyCancelled_ThrowsWithoutWaiting()
    {
        var revision = await Store.GetRevisionAsync(Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.WaitForChangeAsync(revision, cancelled.Token).WaitAsync(Patience, Ct));
    }

    private async Task AddUpstreamAsync(IKeywardenStore store, string name)
    {
        var upstream = Samples.Upstream(name);
        await store.AddUpstreamAsync(upstream, Samples.CurrentKey(upstream, Master), AuditSamples.Change, Ct);
    }
}
