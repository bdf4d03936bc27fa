using System.Collections.Concurrent;

namespace Keywarden.Storage.Audit;

/// <summary>
/// One thread of its own that runs the audit store's appends. An append hashes, inserts and waits for
/// the disk (fsync) synchronously; on a thread-pool thread that would take a worker away from the
/// requests for as long as the disk takes, which on a one- or two-core machine shows as a latency spike.
/// </summary>
internal sealed class DedicatedWriter : IDisposable
{
    private readonly BlockingCollection<WorkItem> _work = new();
    private readonly Thread _thread;

    public DedicatedWriter(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="append"/> on the writer's thread; completes as it does (result, exception or cancellation).</summary>
    public Task RunAsync(Func<Task> append)
    {
        var item = new WorkItem(append, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _work.Add(item);
        return item.Done.Task;
    }

    /// <summary>Lets the work already handed over finish, then ends the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _work.Dispose();
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
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

    private sealed record WorkItem(Func<Task> Append, TaskCompletionSource Done);
}
