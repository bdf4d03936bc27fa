// In the Audit folder with the rest of the audit story, but in the namespace of the other store interfaces.
#pragma warning disable IDE0130
namespace Keywarden.Storage;
#pragma warning restore IDE0130

/// <summary>How far an audit append must get before it counts as written.</summary>
public enum AuditFlush
{
    /// <summary>
    /// Committed and confirmed by the disk (fsync): survives a power loss or a kernel crash. Costs a disk round trip per
    /// commit. Admin actions are always written so.
    /// </summary>
    Disk,

    /// <summary>
    /// Committed to the database's write-ahead log in the operating system: survives a crash or a kill of Keywarden,
    /// not of the machine. The gateway's default: a response waits for its record, and a disk round trip per commit
    /// would be paid by every request (see docs/benchmarks.md).
    /// </summary>
    OperatingSystem,
}
