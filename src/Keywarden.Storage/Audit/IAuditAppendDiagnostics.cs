// In the Audit folder with the rest of the audit story, but in the namespace of the other store interfaces.
#pragma warning disable IDE0130
namespace Keywarden.Storage;
#pragma warning restore IDE0130

/// <summary>
/// Optional for an <see cref="IAuditStore"/>: where its appends spend their time, so that a stalled audit log can be told
/// apart as a held write lock, slow inserts or a slow disk. Durations only, never record contents.
/// </summary>
public interface IAuditAppendDiagnostics
{
    /// <summary>The phases of the last append that completed, or null before the first.</summary>
    AuditAppendTiming? LastAppend { get; }

    /// <summary>The phase of the append in progress, or null when none is.</summary>
    AuditAppendProgress? AppendInProgress { get; }
}
