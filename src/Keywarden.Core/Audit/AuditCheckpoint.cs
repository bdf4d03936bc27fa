namespace Keywarden.Core.Audit;

/// <summary>
/// "Record <paramref name="Sequence"/> of the audit log existed, with this hash": kept beside the log (and, to be of use
/// against someone who can rewrite the database, outside it), so that cutting off the newest records or emptying and
/// restarting the log is found by <c>audit verify</c>, which the hash chain alone cannot show.
/// </summary>
/// <param name="Sequence">The record's sequence number.</param>
/// <param name="Hash">The record's hash (32 bytes).</param>
/// <param name="Time">When the checkpoint was taken.</param>
/// <param name="Source">Who took it: <c>admin</c> (with an admin action), <c>interval</c> (every 1000th record), <c>cli</c>, <c>file</c>.</param>
public sealed record AuditCheckpoint(long Sequence, byte[] Hash, DateTimeOffset Time, string Source);
