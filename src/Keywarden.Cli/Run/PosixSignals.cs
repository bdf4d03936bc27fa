using System.Runtime.InteropServices;

namespace Keywarden.Cli.Run;

/// <summary>Sends a signal to a process: .NET has <see cref="System.Diagnostics.Process.Kill()"/> (SIGKILL) and nothing else.</summary>
internal static partial class PosixSignals
{
    /// <summary>The signals <c>keywarden run</c> passes on to its command.</summary>
    public static readonly PosixSignal[] Forwarded = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    /// <summary>The signal's number (the same on Linux and macOS): what <c>kill</c> takes, and 128 + it is a shell's exit code for it.</summary>
    public static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGTERM => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "not a signal keywarden run forwards"),
    };

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>; false when it is gone (or there is no libc to ask).</summary>
    public static bool Send(int pid, PosixSignal signal)
    {
        try
        {
            return Kill(pid, Number(signal)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
