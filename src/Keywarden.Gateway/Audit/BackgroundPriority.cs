using System.Runtime.InteropServices;

namespace Keywarden.Gateway.Audit;

/// <summary>
/// Lowers the calling thread's scheduling priority on Linux, relative to what it has (a thread's own nice value; no
/// privilege is needed to lower it). The audit writer runs in bursts of CPU per batch; at equal priority a request
/// thread woken by the network can wait behind such a burst on a small machine. A few nice levels lower, the scheduler
/// lets request threads in first, and the writer still gets a fair share of a saturated CPU (a weight about half a
/// request thread's), so it keeps up: far lower, a saturated gateway starves its own audit writer, the queue fills and
/// "audit or refuse" turns traffic away (measured: nice +15 did, at 8 connections on one busy core). Elsewhere, or when
/// refused, nothing happens.
/// </summary>
internal static partial class BackgroundPriority
{
    private const int PrioProcess = 0;
    private const int LowestNice = 19;

    /// <summary>How many nice levels the audit writer sits below the requests (each level is about 1.25× less CPU weight).</summary>
    public const int WriterNiceIncrement = 3;

    public static void LowerCurrentThread(int increment)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // On Linux PRIO_PROCESS with a thread id reads and sets that thread's nice value only. getpriority answers
            // -1 both as a nice value and as an error: errno tells them apart.
            var thread = GetThreadId();
            var current = GetPriority(PrioProcess, thread);
            if (current == -1 && Marshal.GetLastPInvokeError() != 0)
            {
                return;
            }

            _ = SetPriority(PrioProcess, thread, Math.Min(current + increment, LowestNice));
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
