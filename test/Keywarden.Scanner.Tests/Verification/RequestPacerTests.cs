using Keywarden.Scanner.Verification;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Scanner.Tests.Verification;

public sealed class RequestPacerTests
{
    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Starts_AreSpacedByTheRate()
    {
        var time = new FakeTimeProvider();
        using var pacer = new RequestPacer(maxConcurrency: 10, maxPerSecond: 10, time);
        var started = 0;
        var runs = Enumerable.Range(0, 5)
            .Select(_ => pacer.RunAsync(_ => Task.FromResult(Interlocked.Increment(ref started)), TestContext.Current.CancellationToken))
            .ToArray();

        await WaitUntil(() => Volatile.Read(ref started) == 1);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntil(() => Volatile.Read(ref started) == 2);
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
        await WaitUntil(() => Volatile.Read(ref running) == 2);
        gate.SetResult(true);
        for (var i = 0; i < 10 && !runs.All(r => r.IsCompleted); i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(Task.WhenAll(runs), Task.Delay(50, TestContext.Current.CancellationToken));
        }

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
