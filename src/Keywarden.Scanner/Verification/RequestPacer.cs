namespace Keywarden.Scanner.Verification;

/// <summary>
/// At most <c>maxConcurrency</c> operations in flight and <c>maxPerSecond</c> started per second: each start takes
/// the next free slot on an evenly spaced schedule, so no burst exceeds the rate.
/// </summary>
internal sealed class RequestPacer(int maxConcurrency, int maxPerSecond, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _inFlight = new(Math.Max(1, maxConcurrency));
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, maxPerSecond));
    private readonly Lock _lock = new();
    private DateTimeOffset _nextStart = DateTimeOffset.MinValue;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken);
        try
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                var start = _nextStart > now ? _nextStart : now;
                _nextStart = start + _interval;
                wait = start - now;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            return await operation(cancellationToken);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public void Dispose() => _inFlight.Dispose();
}
