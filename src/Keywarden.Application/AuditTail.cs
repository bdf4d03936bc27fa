using Keywarden.Core.Audit;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>The latest audit records, of everyone or of one actor (<c>audit tail --actor NAME</c>).</summary>
public static class AuditTail
{
    /// <summary>Whether <paramref name="record"/> is an admin action done by <paramref name="actor"/> (exactly as recorded).</summary>
    public static bool IsBy(AuditRecord record, string actor)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Entry.Kind == AuditKind.Admin && string.Equals(record.Entry.Actor, actor, StringComparison.Ordinal);
    }

    /// <summary>
    /// The last <paramref name="count"/> records, oldest first; with <paramref name="actor"/>, only the admin actions it
    /// did (an operator's name, or <c>machine:NAME</c>), found by reading the whole log.
    /// </summary>
    public static async Task<IReadOnlyList<AuditRecord>> ReadAsync(IAuditStore store, int count, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (actor is null)
        {
            return await store.TailAsync(count, cancellationToken);
        }

        var last = new Queue<AuditRecord>(Math.Min(count, 1024));
        if (count == 0)
        {
            return [];
        }

        await foreach (var record in store.ReadAllAsync(cancellationToken))
        {
            if (IsBy(record, actor))
            {
                if (last.Count == count)
                {
                    last.Dequeue();
                }

                last.Enqueue(record);
            }
        }

        return [.. last];
    }
}
