using Keywarden.Storage;

namespace Keywarden.AdminApi.Documents;

/// <summary>Key sinks as <c>sink … --json</c> prints them and the admin API answers.</summary>
public static class SinkDocuments
{
    /// <summary>One sink of <paramref name="upstream"/> (<c>sink add</c>, and each of <c>sink list</c>).</summary>
    public static object Sink(SinkRecord sink, string upstream)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return new { id = sink.Id, upstream, spec = sink.Spec, created_at = sink.CreatedAt };
    }

    /// <summary>The sinks, each with the name of its upstream (<c>sink list</c>).</summary>
    public static object List(IEnumerable<(SinkRecord Sink, string Upstream)> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        return new { sinks = sinks.Select(s => Sink(s.Sink, s.Upstream)) };
    }

    /// <summary>A sink removed (<c>sink remove</c>).</summary>
    public static object Removed(string id) => new { id, removed = true };
}
