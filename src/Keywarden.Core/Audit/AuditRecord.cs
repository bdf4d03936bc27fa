namespace Keywarden.Core.Audit;

/// <summary>An audit entry in its place in the chain.</summary>
/// <param name="Sequence">1, 2, 3…: its position in the log, without gaps.</param>
/// <param name="Entry">What happened, as hashed (millisecond time, redacted strings).</param>
/// <param name="PreviousHash">The <see cref="Hash"/> of the record before it, or <see cref="AuditChain.Genesis"/> for the first.</param>
/// <param name="Hash">SHA-256 of <see cref="PreviousHash"/> and the canonical encoding of <see cref="Sequence"/> and <see cref="Entry"/>.</param>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, byte[] PreviousHash, byte[] Hash);
