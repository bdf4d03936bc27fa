using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Keywarden.Cli.Run;

/// <summary>
/// Holds SIGINT, SIGTERM and SIGHUP for the length of a run: keywarden does not die of them (its token must be revoked
/// first), and passes each on to the command once it runs. One that comes before the command starts stops the run
/// (<see cref="Interrupted"/>) and the command is never started.
/// </summary>
/// <remarks>
/// A Ctrl+C at a terminal signals the whole foreground process group, so the command gets that SIGINT from the terminal
/// and once more from keywarden; <c>kill -INT</c> of keywarden's pid reaches the command once.
/// </remarks>
internal sealed class SignalForwarder : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _interrupted = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private Process? _child;
    private PosixSignal? _early;

    public SignalForwarder()
    {
        foreach (var signal in PosixSignals.Forwarded)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    /// <summary>Cancelled by a signal that came before the command started.</summary>
    public CancellationToken Interrupted => _interrupted.Token;

    /// <summary>What keywarden exits with when a signal stopped the run before the command started (128 + its number), else null.</summary>
    public int? InterruptedExitCode => _early is { } signal ? 128 + PosixSignals.Number(signal) : null;

    /// <summary>Starts the command, unless a signal already stopped the run (then null); signals go to it from now on.</summary>
    public Process? Start(ProcessStartInfo start)
    {
        lock (_lock)
        {
            return _early is null ? _child = Process.Start(start) : null;
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        bool early;
        lock (_lock)
        {
            early = _child is null;
            if (early)
            {
                _early ??= context.Signal;
            }
            else if (!_child!.HasExited)
            {
                PosixSignals.Send(_child.Id, context.Signal);
            }
        }

        if (early)
        {
            try
            {
                _interrupted.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the run is over
            }
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _interrupted.Dispose();
    }
}
