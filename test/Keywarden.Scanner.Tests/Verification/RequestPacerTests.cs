using Keywarden.Scanner.Verification;
using Keywarden.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Scanner.Tests.Verification;

public sealed class RequestPacerTests
{
    [Fact]
    public async Task Starts_AreSpacedByTheRate()
    {
        var time = new FakeTimeProvider();
        using var pacer = new RequestPacer(maxConcurrency: 10, maxPerSecond: 10, time);
        var started = 0;
        var runs = Enumerable.Range(0, 5)
            .Select(_ => pacer.RunAsync(_ => Task.FromResult(Interlocked.Increment(ref started)), TestContext.Current.CancellationToken))
            .ToArray();

        await Wait.UntilAsync(() => Volatile.Read(ref started) == 1, "the first run starts");
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Wait.UntilAsync(() => Volatile.Read(ref started) == 2, "the second run starts");
        Assert.Equal(2, Volatile.Read(ref started));
        time.Advance(TimeSpan.FromMilliseconds(300));
        await Task.WhenAll(runs);
        Assert.Equal(5, started);
    }

    [Fact]
    public async Task InFlight_NeverExceedsTheConcurrency()
    {
        var time = new FakeTimeProvider();
        using var pacer = new RequestPacer(maxConcurrency: 2, maxPerSecond: 1000, time);
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var peak = 0;
        var runs = Enumerable.Range(0, 6).Select(_ => pacer.RunAsync(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await gate.Task;
            Interlocked.Decrement(ref running);
            return true;
        }, TestContext.Current.CancellationToken)).ToArray();

        time.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => Volatile.Read(ref running) == 2, "two runs are in flight");
        gate.SetResult(true);
        // Each step of the fake clock lets the waiting runs take their turn; no real-time wait decides the outcome.
        await Wait.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return runs.All(r => r.IsCompleted);
            },
            "every run finishes");

        await Task.WhenAll(runs);
        Assert.Equal(2, peak);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
