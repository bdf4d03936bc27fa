using System.Collections.Concurrent;

namespace Keywarden.Gateway.Limits;

/// <summary>
/// Keeps at most N requests in flight per real key (Mailchimp answers 429 past 10), queueing the
/// rest up to a bound and a timeout, so that many applications sharing one key never see that 429.
/// </summary>
internal sealed class KeyConcurrencyGuard : IDisposable
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly int _concurrency;
    private readonly int _queueLimit;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public KeyConcurrencyGuard(int concurrency, int queueLimit, TimeSpan timeout, TimeProvider time)
    {
        _concurrency = concurrency;
        _queueLimit = queueLimit;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Requests waiting for a slot, over all keys (for /metrics).</summary>
    public int Waiting => _slots.Values.Sum(s => s.Waiting);

    /// <summary>Requests holding a slot, over all keys (for /metrics).</summary>
    public int InFlight => _slots.Values.Sum(s => _concurrency - s.Semaphore.CurrentCount);

    /// <summary>A lease on a slot of the key, or null when the queue is full or the wait timed out.</summary>
    public async ValueTask<Lease?> AcquireAsync(string keyId, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(keyId, static (_, concurrency) => new Slot(concurrency), _concurrency); // static: no delegate per call
        if (slot.Semaphore.Wait(0, CancellationToken.None))
        {
            return new Lease(slot.Semaphore);
        }

        if (Interlocked.Increment(ref slot.Waiting) > _queueLimit)
        {
            Interlocked.Decrement(ref slot.Waiting);
            return null;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await slot.Semaphore.WaitAsync(linked.Token);
                return new Lease(slot.Semaphore);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        finally
        {
            Interlocked.Decrement(ref slot.Waiting);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Dispose();
        }
    }

    internal sealed class Slot(int concurrency) : IDisposable
    {
        public readonly SemaphoreSlim Semaphore = new(concurrency, concurrency);
        public int Waiting;

        public void Dispose() => Semaphore.Dispose();
    }

    /// <summary>Releases the slot when disposed.</summary>
    internal sealed class Lease(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
