// In the Audit folder with the rest of the audit story, but in the namespace of the other store interfaces.
#pragma warning disable IDE0130
namespace Keywarden.Storage;
#pragma warning restore IDE0130

/// <summary>Where an audit append spends its time, for diagnosing a slow audit log.</summary>
public enum AuditAppendPhase
{
    /// <summary>Waiting for the database's write lock (another writer holds it).</summary>
    WaitingForWriteLock,

    /// <summary>Reading the chain's head, linking and inserting the records.</summary>
    Inserting,

    /// <summary>Committing: writing the log and waiting for the disk to confirm it (fsync).</summary>
    Committing,
}
