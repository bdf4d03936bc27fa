using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Testing;

/// <summary>
/// A fake clock that says how many timers it has made, and lets a test wait for the next: code that waits on a
/// TimeProvider (Task.Delay, a poll interval) makes one timer per wait, so a test can tell the code is now waiting,
/// advance the clock past the wait, and never sleep on the real clock.
/// </summary>
public sealed class TimerCountingTime : FakeTimeProvider
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _reached = new();
    private int _timers;

    /// <summary>A clock at FakeTimeProvider's default start (2000-01-01 UTC).</summary>
    public TimerCountingTime()
    {
    }

    /// <summary>A clock at <paramref name="start"/>, for code that compares its time with stored real timestamps.</summary>
    public TimerCountingTime(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>How many timers were made so far.</summary>
    public int Timers => Volatile.Read(ref _timers);

    /// <summary>Completes once <paramref name="count"/> timers have been made.</summary>
    public Task TimersCreated(int count) => Reached(count).Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Reached(Interlocked.Increment(ref _timers)).TrySetResult();
        return timer;
    }

    private TaskCompletionSource Reached(int count) =>
        _reached.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
