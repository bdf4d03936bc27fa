namespace Keywarden.Core.Audit;

/// <summary>
/// Checks an audit chain one record at a time, keeping only the previous hash: for logs too large
/// to hold, and for records that arrive from a stream. Stops at the first break.
/// </summary>
public sealed class AuditChainVerifier
{
    private long _expectedSequence;
    private byte[] _previousHash;
    private long _checked;
    private long _lastGoodSequence;
    private AuditVerification? _failure;

    /// <summary>Starts a check.</summary>
    /// <param name="expectedFirstPrevious">
    /// The hash of the record just before the first one to be added. Null means the records start
    /// the log: the first must be sequence 1 and link to <see cref="AuditChain.Genesis"/>.
    /// </param>
    public AuditChainVerifier(byte[]? expectedFirstPrevious = null)
    {
        _previousHash = (byte[]?)expectedFirstPrevious?.Clone() ?? AuditChain.Genesis;
        _expectedSequence = expectedFirstPrevious is null ? 1 : 0;
    }

    /// <summary>The verdict on the records added so far.</summary>
    public AuditVerification Result =>
        _failure ?? new AuditVerification(true, _checked, null, null) { LastGoodSequence = _lastGoodSequence, LastGoodHash = (byte[])_previousHash.Clone() };

    /// <summary>Checks the next record. False once the chain is broken; later records are then ignored.</summary>
    public bool Add(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_failure is not null)
        {
            return false;
        }

        _checked++;
        var expected = _expectedSequence == 0 ? record.Sequence : _expectedSequence;
        if (record.Sequence != expected)
        {
            return Fail(
                expected,
                record.Sequence > expected
                    ? $"expected record {expected}, found {record.Sequence}: {(record.Sequence - expected == 1 ? "a record is" : "records are")} missing or out of order"
                    : $"expected record {expected}, found {record.Sequence} again or out of order");
        }

        if (record.PreviousHash is null || !record.PreviousHash.AsSpan().SequenceEqual(_previousHash))
        {
            return Fail(
                record.Sequence,
                _lastGoodSequence == 0 && _expectedSequence == 1
                    ? "it does not link to the start of the log: earlier records were removed, or its previous hash was changed"
                    : $"its previous hash is not the hash of record {record.Sequence - 1}: a record was removed, inserted or changed there");
        }

        byte[] actual;
        try
        {
            actual = AuditChain.ComputeHash(record.Sequence, record.PreviousHash, record.Entry);
        }
        catch (ArgumentException e)
        {
            return Fail(record.Sequence, $"its contents cannot be encoded ({e.Message}): the record was changed");
        }

        if (record.Hash is null || !record.Hash.AsSpan().SequenceEqual(actual))
        {
            return Fail(record.Sequence, "its contents do not match its hash: the record was changed");
        }

        _previousHash = record.Hash;
        _lastGoodSequence = record.Sequence;
        _expectedSequence = record.Sequence + 1;
        return true;
    }

    private bool Fail(long sequence, string problem)
    {
        _failure = new AuditVerification(false, _checked, sequence, problem)
        {
            LastGoodSequence = _lastGoodSequence,
            LastGoodHash = (byte[])_previousHash.Clone(),
        };
        return false;
    }
}
