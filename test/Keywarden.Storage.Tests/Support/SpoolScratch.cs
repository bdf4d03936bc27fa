using Keywarden.Core.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Storage.Tests.Support;

/// <summary>
/// What a spool test works in: a temporary SQLite store, a spool directory (removed afterwards) and a fake clock,
/// with request entries to spool and a way to read what reached the store.
/// </summary>
internal sealed class SpoolScratch : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private SpoolScratch(TempStore temp) => Temp = temp;

    public FakeTimeProvider Time { get; } = new(T0);

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"kw-spool-{Guid.NewGuid():N}");

    public TempStore Temp { get; }

    public static async Task<SpoolScratch> CreateAsync() => new(await TempStore.CreateAsync());

    /// <summary>The request entry number <paramref name="i"/> (its path is <c>/lists/i</c>).</summary>
    public static AuditEntry Entry(int i) =>
        new(T0.AddMilliseconds(i), AuditKind.Request, "tok_7gq2m0x4k9c1", "up_newsletter", "key_1", "203.0.113.7", "GET", $"/lists/{i}", AuditDecision.Allow, "allow", 200, 1.5, 0, 100);

    /// <summary>Every record in the store, oldest first.</summary>
    public async Task<List<AuditRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in Temp.Store.ReadAllAsync(cancellationToken))
        {
            records.Add(record);
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await Temp.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
