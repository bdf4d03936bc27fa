namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// A progress line on stderr, only when stderr is a terminal (never in a pipe, a file or a test): rewritten in place at
/// most every 200 ms, erased when disposed. Thread-safe. Used by <c>scan</c> and <c>monitor replay</c>.
/// </summary>
internal sealed class TerminalStatusLine : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly CliContext _context;
    private readonly Lock _lock = new();
    private long _last;
    private bool _shown;

    private TerminalStatusLine(CliContext context)
    {
        _context = context;
        _last = context.Time.GetTimestamp();
    }

    /// <summary>A status line on <paramref name="context"/>'s stderr, or null when stderr is not a terminal.</summary>
    public static TerminalStatusLine? ForStderr(CliContext context) =>
        ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected ? new TerminalStatusLine(context) : null;

    /// <summary>Shows <paramref name="text"/>'s result unless the line was rewritten less than 200 ms ago (then it is not even built).</summary>
    public void Show<TState>(Func<TState, string> text, TState state)
    {
        lock (_lock)
        {
            var now = _context.Time.GetTimestamp();
            if (_context.Time.GetElapsedTime(_last, now) < Interval)
            {
                return;
            }

            _last = now;
            _shown = true;
            _context.Error.Write("\r" + text(state) + "\u001b[K");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_shown)
            {
                _context.Error.Write("\r\u001b[K");
            }
        }
    }
}
