namespace Keywarden.Core.Audit;

/// <summary>
/// The hash chain of the audit log. Each record's hash is
/// <c>SHA-256(previous hash ‖ canonical encoding of sequence and entry)</c>, so editing a field,
/// deleting a record or reordering records breaks the chain at that point. The canonical encoding
/// is documented in <c>docs/architecture.md</c> and pinned by a test vector.
/// </summary>
/// <remarks>
/// The chain has no secret: whoever can rewrite the whole log from some point on can recompute
/// every hash after it, and deleting the newest records leaves a shorter chain that is still
/// intact. Record the head (sequence and hash, printed by <c>keywarden audit verify</c>) somewhere
/// else to catch that.
/// </remarks>
public static class AuditChain
{
    /// <summary>Length of every hash in the chain, in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>The previous hash of the first record: 32 zero bytes. A new array each time.</summary>
    public static byte[] Genesis => new byte[HashLength];

    /// <summary>
    /// Places <paramref name="entry"/> at <paramref name="sequence"/> after the record whose hash is
    /// <paramref name="previousHash"/>. The record holds the entry as hashed: time truncated to the
    /// millisecond in UTC (what a store keeps), unpaired surrogates replaced by U+FFFD, anything
    /// shaped like a Mailchimp key or a gateway token replaced by <c>[redacted]</c>, then the user agent and
    /// from-domain cut to <see cref="AuditEntry.MaxUserAgentLength"/> and <see cref="AuditEntry.MaxFromDomainLength"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The entry is invalid (see <see cref="ThrowIfInvalid"/>), the sequence is below 1, or the previous hash is not 32 bytes.</exception>
    public static AuditRecord Link(long sequence, byte[] previousHash, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if (previousHash.Length != HashLength)
        {
            throw new ArgumentException($"a previous hash is {HashLength} bytes, not {previousHash.Length}", nameof(previousHash));
        }

        ThrowIfInvalid(entry);
        var normalized = AuditNormalizer.Normalize(entry);
        var previous = (byte[])previousHash.Clone();
        return new AuditRecord(sequence, normalized, previous, AuditEncoding.Hash(sequence, previous, normalized));
    }

    /// <summary>
    /// Checks the chain in one pass, keeping only the previous hash in memory.
    /// </summary>
    /// <param name="records">The records in ascending sequence order.</param>
    /// <param name="expectedFirstPrevious">
    /// The hash of the record just before the first one given. Null means the records start the
    /// log: the first must be sequence 1 and link to <see cref="Genesis"/>.
    /// </param>
    /// <returns>Intact, or the first sequence at which the chain breaks and why.</returns>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, byte[]? expectedFirstPrevious = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new AuditChainVerifier(expectedFirstPrevious);
        foreach (var record in records)
        {
            if (!verifier.Add(record))
            {
                break;
            }
        }

        return verifier.Result;
    }

    /// <summary>Like <see cref="Verify"/>, for records streamed from a store.</summary>
    /// <param name="records">The records in ascending sequence order.</param>
    /// <param name="expectedFirstPrevious">As for <see cref="Verify"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditRecord> records, byte[]? expectedFirstPrevious = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new AuditChainVerifier(expectedFirstPrevious);
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (!verifier.Add(record))
            {
                break;
            }
        }

        return verifier.Result;
    }

    /// <summary>The hash a record with these contents must have. Does not normalise: it hashes exactly what it is given.</summary>
    /// <exception cref="ArgumentException">The entry is invalid (see <see cref="ThrowIfInvalid"/>) or the previous hash is not 32 bytes.</exception>
    public static byte[] ComputeHash(long sequence, ReadOnlySpan<byte> previousHash, AuditEntry entry)
    {
        if (previousHash.Length != HashLength)
        {
            throw new ArgumentException($"a previous hash is {HashLength} bytes, not {previousHash.Length}", nameof(previousHash));
        }

        ThrowIfInvalid(entry);
        return AuditEncoding.Hash(sequence, previousHash, entry);
    }

    /// <summary>
    /// <paramref name="text"/> as a record would store it: valid Unicode, anything shaped like a Mailchimp key or gateway
    /// token replaced by <c>[redacted]</c>. For a caller that must shorten text before it goes in (a cut could otherwise
    /// leave a secret's prefix that no longer looks like one).
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AuditNormalizer.Text(text)!;
    }

    /// <summary>
    /// What a record keeps of a client's <c>User-Agent</c>: redacted as <see cref="Redact"/> does, then cut to
    /// <see cref="AuditEntry.MaxUserAgentLength"/> without splitting a surrogate pair. The same instance when there is
    /// nothing to change. For a caller that holds entries before they are linked and should not hold more than that.
    /// </summary>
    public static string StoredUserAgent(string userAgent)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        return AuditNormalizer.Cut(AuditNormalizer.Text(userAgent), AuditEntry.MaxUserAgentLength)!;
    }

    /// <summary>The canonical encoding of a record's contents (what is hashed after the previous hash).</summary>
    public static byte[] Encode(long sequence, AuditEntry entry)
    {
        ThrowIfInvalid(entry);
        return AuditEncoding.Encode(sequence, entry);
    }

    /// <summary>
    /// Refuses an entry that cannot be recorded faithfully: a required string (<see cref="AuditEntry.Method"/>,
    /// <see cref="AuditEntry.Path"/>, <see cref="AuditEntry.Rule"/>) that is null, a latency that is not a
    /// finite number, an undefined kind or decision, or a negative <see cref="AuditEntry.Recipients"/>. Cheap enough for the gateway's hot path.
    /// </summary>
    /// <exception cref="ArgumentException">What is wrong; the message names the field, never its value.</exception>
    public static void ThrowIfInvalid(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Method is null || entry.Path is null || entry.Rule is null)
        {
            throw new ArgumentException("an audit entry needs a method, a path and a rule", nameof(entry));
        }

        if (!double.IsFinite(entry.LatencyMs))
        {
            throw new ArgumentException("an audit entry's latency must be a finite number", nameof(entry));
        }

        if (!Enum.IsDefined(entry.Kind) || !Enum.IsDefined(entry.Decision))
        {
            throw new ArgumentException("an audit entry's kind or decision is not defined", nameof(entry));
        }

        if (entry.Recipients < 0)
        {
            throw new ArgumentException("an audit entry's recipient count cannot be negative", nameof(entry));
        }
    }
}
