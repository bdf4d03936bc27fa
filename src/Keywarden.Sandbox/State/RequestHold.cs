namespace Keywarden.Sandbox;

/// <summary>
/// Parks every Marketing and Transactional request after it is authenticated and counted in flight, until
/// <see cref="Release"/>. Lets a test put exactly N requests in flight and then observe the N+1th, with no sleeps.
/// </summary>
public sealed class RequestHold : IDisposable
{
    private readonly Lock _sync = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly Action<RequestHold> _onRelease;
    private int _held;

    internal RequestHold(Action<RequestHold> onRelease)
    {
        _onRelease = onRelease;
    }

    /// <summary>Requests parked right now.</summary>
    public int HeldCount
    {
        get
        {
            lock (_sync)
            {
                return _held;
            }
        }
    }

    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Completes when at least <paramref name="count"/> requests are parked at once.</summary>
    public Task WaitForHeldAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_held >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Lets every parked request go on, and stops parking new ones.</summary>
    public void Release()
    {
        _released.TrySetResult();
        _onRelease(this);
    }

    public void Dispose() => Release();

    internal async Task ParkAsync(CancellationToken cancellationToken)
    {
        if (IsReleased)
        {
            return;
        }

        lock (_sync)
        {
            _held++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_held >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }

        try
        {
            await _released.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_sync)
            {
                _held--;
            }
        }
    }
}
