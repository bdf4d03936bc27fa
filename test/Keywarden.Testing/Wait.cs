namespace Keywarden.Testing;

/// <summary>
/// Waiting for something another thread or process does, on the real clock: polls a condition until it holds and
/// fails after a deadline instead of hoping a fixed sleep was long enough. Where the code under test takes a
/// TimeProvider, advance a FakeTimeProvider instead of waiting.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="what"/> after the deadline.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var ct = TestContext.Current.CancellationToken;
        var deadline = TimeProvider.System.GetTimestamp() + (long)((timeout ?? DefaultTimeout).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(Interval, ct);
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>, for a condition read without I/O.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), what, timeout);
    }
}
