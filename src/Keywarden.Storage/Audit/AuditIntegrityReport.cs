using Keywarden.Core.Audit;

namespace Keywarden.Storage.Audit;

/// <summary>What <see cref="AuditIntegrity.VerifyAsync"/> found.</summary>
/// <param name="Chain">The hash chain's verdict: edited, missing or reordered records.</param>
/// <param name="CheckpointsChecked">Checkpoints (in the store and given from outside) compared with the log.</param>
/// <param name="Problems">
/// What the chain alone cannot show, one sentence each: a checkpointed record cut off or replaced (the newest records
/// removed, the log emptied and restarted), or state in the vault without the record of the action that made it.
/// </param>
public sealed record AuditIntegrityReport(AuditVerification Chain, int CheckpointsChecked, IReadOnlyList<string> Problems)
{
    /// <summary>True when the chain is intact, every checkpoint is in it and every piece of state has its record.</summary>
    public bool Intact => Chain.Intact && Problems.Count == 0;
}
