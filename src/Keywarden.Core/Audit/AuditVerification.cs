namespace Keywarden.Core.Audit;

/// <summary>The outcome of checking an audit chain.</summary>
/// <param name="Intact">True when every record links to the one before and matches its hash.</param>
/// <param name="RecordsChecked">How many records were read, the first bad one included.</param>
/// <param name="FirstBadSequence">The first sequence number at which the chain breaks: the record edited, or the one missing or out of place.</param>
/// <param name="Problem">What is wrong there, for a person.</param>
public sealed record AuditVerification(bool Intact, long RecordsChecked, long? FirstBadSequence, string? Problem)
{
    /// <summary>The sequence of the last intact record (the head when the whole chain is intact), or 0 when there is none.</summary>
    public long LastGoodSequence { get; init; }

    /// <summary>The hash of the last intact record, or the expected first previous hash when there is none.</summary>
    public byte[] LastGoodHash { get; init; } = AuditChain.Genesis;
}
