namespace Keywarden.Storage.Audit;

/// <summary>
/// One thread of its own that runs the audit store's appends. An append hashes, inserts and waits for
/// the disk (fsync) synchronously; on a thread-pool thread that would take a worker away from the
/// requests for as long as the disk takes, which on a one- or two-core machine shows as a latency spike.
/// </summary>
internal sealed class DedicatedWriter : IDisposable
{
    // A plain queue under a lock, waited on with Monitor.Wait: the writer sleeps between batches instead of spinning
    // (a BlockingCollection's semaphore spins before it blocks, which cost the gateway ~4 % of its CPU).
    private readonly Queue<WorkItem> _work = new();
    private readonly object _sync = new();
    private readonly Thread _thread;
    private bool _completed;

    public DedicatedWriter(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="append"/> on the writer's thread; completes as it does (result, exception or cancellation).</summary>
    public Task RunAsync(Func<Task> append)
    {
        var item = new WorkItem(append, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            _work.Enqueue(item);
            Monitor.Pulse(_sync);
        }

        return item.Done.Task;
    }

    /// <summary>Lets the work already handed over finish, then ends the thread.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _completed = true;
            Monitor.Pulse(_sync);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        while (Next() is { } item)
        {
            try
            {
                // The stores complete synchronously (SQLite) or do real I/O (a network database): either way this
                // thread is the one that waits, never a thread-pool worker.
                item.Append().GetAwaiter().GetResult();
                item.Done.TrySetResult();
            }
            catch (OperationCanceledException e)
            {
                item.Done.TrySetCanceled(e.CancellationToken);
            }
#pragma warning disable CA1031 // Handed to the awaiting caller, which retries or reports it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                item.Done.TrySetException(e);
            }
        }
    }

    /// <summary>The next work item, waiting for one; null once disposed and drained.</summary>
    private WorkItem? Next()
    {
        lock (_sync)
        {
            while (_work.Count == 0)
            {
                if (_completed)
                {
                    return null;
                }

                Monitor.Wait(_sync);
            }

            return _work.Dequeue();
        }
    }

    private sealed record WorkItem(Func<Task> Append, TaskCompletionSource Done);
}
