// In the Audit folder with the rest of the audit story, but in the namespace of the other store interfaces.
#pragma warning disable IDE0130
namespace Keywarden.Storage;
#pragma warning restore IDE0130

/// <summary>How long each phase of one audit append took.</summary>
/// <param name="Records">Records appended in the transaction.</param>
/// <param name="WaitForWriteLock">From the start until the write lock was held.</param>
/// <param name="Insert">Reading the head, linking and inserting.</param>
/// <param name="Commit">The commit, with the disk's confirmation (fsync).</param>
public sealed record AuditAppendTiming(int Records, TimeSpan WaitForWriteLock, TimeSpan Insert, TimeSpan Commit)
{
    /// <summary>For a log line: <c>write lock 0.1 ms, inserts 0.4 ms, commit and fsync 3.2 ms</c>.</summary>
    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"write lock {WaitForWriteLock.TotalMilliseconds:0.0} ms, inserts {Insert.TotalMilliseconds:0.0} ms, commit and fsync {Commit.TotalMilliseconds:0.0} ms");
}
