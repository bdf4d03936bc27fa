using System.IO.Hashing;
using System.Runtime.InteropServices;
using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// A method and path family the token never used (<see cref="NewSurfaceOptions"/>), on a request the gateway let
/// through. A surface is remembered as a 64-bit hash of <c>METHOD family</c> (Marketing) or the call's name
/// (Transactional), so the set is fixed in size whatever the paths.
/// </summary>
internal sealed class NewSurfaceDetector(MonitorOptions options) : ITokenDetector
{
    private const int MaxMethodLength = 16;
    private readonly int _capacity = options.NewSurface.MaxSurfaces;

    public void Observe(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        if (e.Decision == AuditDecision.Deny)
        {
            return;
        }

        var state = context.Token!.Surfaces ??= new NewSurfaceState(_capacity);
        long key;
        if (string.Equals(e.Path, state.LastPath, StringComparison.Ordinal) && string.Equals(e.Method, state.LastMethod, StringComparison.Ordinal))
        {
            key = state.LastKey;
        }
        else
        {
            Span<char> buffer = stackalloc char[MaxMethodLength + 1 + PathFamily.MaxLength + 1];
            var surface = Surface(e.Method, e.Path, buffer);
            key = (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(surface));
            state.LastPath = e.Path;
            state.LastMethod = e.Method;
            state.LastKey = key;
        }

        if (state.Surfaces.Touch(key, context.Now))
        {
            return;
        }

        var known = state.Surfaces.Count;
        state.Surfaces.Add(key, context.Now);
        if (context.Learning || known == 0 || !sink.Enabled)
        {
            return;
        }

        Span<char> text = stackalloc char[MaxMethodLength + 1 + PathFamily.MaxLength + 1];
        var family = PathFamily.Write(e.Path, text);
        var destructive = PathFamily.IsDestructive(e.Method, text[..family]);
        var call = IsTransactional(e.Path) ? new string(text[..family]) : $"{e.Method} {text[..family]}";
        var why = $"first {(destructive ? "destructive " : "")}call {call} (path {e.Path}, from {e.Client}); "
            + $"this token used {Words.Plural(known, "other kind")} of call before, never this one";
        sink.Raise(DetectorNames.NewSurface, destructive ? AlertSeverity.Critical : AlertSeverity.Warning, e, why, learning: false);
    }

    /// <summary><c>GET /lists/{id}/members</c> for Marketing, <c>messages/send</c> for Transactional, written to <paramref name="buffer"/>.</summary>
    internal static ReadOnlySpan<char> Surface(string method, string path, Span<char> buffer)
    {
        if (IsTransactional(path))
        {
            return buffer[..PathFamily.Write(path, buffer)];
        }

        var methodLength = Math.Min(method.Length, MaxMethodLength);
        method.AsSpan(0, methodLength).CopyTo(buffer);
        buffer[methodLength] = ' ';
        var written = PathFamily.Write(path, buffer[(methodLength + 1)..]);
        return buffer[..(methodLength + 1 + written)];
    }

    private static bool IsTransactional(string path) => path.Length == 0 || path[0] != '/';
}
