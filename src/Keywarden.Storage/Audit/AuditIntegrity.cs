using System.Globalization;
using Keywarden.Core.Audit;

namespace Keywarden.Storage.Audit;

/// <summary>
/// <c>audit verify</c>: the hash chain, and what a chain cannot show by itself. Deleting the newest records leaves a
/// shorter intact chain, and an emptied log restarts at record 1 just as intact; so the log is also held against its
/// checkpoints (a record that was checkpointed must still be there, with the same hash) and against the vault's state
/// (every token, upstream, rotation and sink created since the log began must have the admin record that created it,
/// and every revoked token the record that revoked it).
/// </summary>
/// <remarks>
/// Someone who can write the database can also rewrite the whole chain and its checkpoints consistently: only a
/// checkpoint kept outside the database (<see cref="AuditCheckpointFile"/>) catches that. Reads the log once, keeping
/// only the ids named by admin records.
/// </remarks>
public static class AuditIntegrity
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>Checks the log of <paramref name="store"/> against its own checkpoints, <paramref name="outsideCheckpoints"/> and the vault's state.</summary>
    public static async Task<AuditIntegrityReport> VerifyAsync(
        IKeywardenStore store, IReadOnlyList<AuditCheckpoint> outsideCheckpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(outsideCheckpoints);
        // The state first, then the log: whatever is created while this reads has its record in the log read after it.
        var state = await VaultState.ReadAsync(store, cancellationToken);
        var checkpoints = (await store.ListCheckpointsAsync(cancellationToken)).Concat(outsideCheckpoints).ToList();
        var bySequence = checkpoints.ToLookup(c => c.Sequence);
        var matched = new HashSet<AuditCheckpoint>(ReferenceEqualityComparer.Instance);
        var problems = new List<string>();
        var verifier = new AuditChainVerifier();
        var facts = new AdminFacts();
        var head = 0L;
        await foreach (var record in store.ReadAllAsync(cancellationToken))
        {
            verifier.Add(record);
            head = Math.Max(head, record.Sequence);
            facts.Add(record.Entry);
            foreach (var checkpoint in bySequence[record.Sequence])
            {
                matched.Add(checkpoint);
                if (!checkpoint.Hash.AsSpan().SequenceEqual(record.Hash))
                {
                    problems.Add($"record {record.Sequence} is not the one {Describe(checkpoint)} saw (its hash differs): the log was rewritten or emptied and restarted");
                }
            }
        }

        foreach (var checkpoint in checkpoints.Where(c => !matched.Contains(c)))
        {
            problems.Add(checkpoint.Sequence > head
                ? $"{Capitalized(Describe(checkpoint))} saw record {checkpoint.Sequence}, but the log ends at record {head}: the newest records were cut off, or the log was emptied"
                : $"record {checkpoint.Sequence}, which {Describe(checkpoint)} saw, is missing");
        }

        CheckState(state, facts, problems);
        return new AuditIntegrityReport(verifier.Result, checkpoints.Count, problems);
    }

    private static void CheckState(VaultState state, AdminFacts facts, List<string> problems)
    {
        // Every admin record is appended in the transaction of the change it records, so today a missing one was removed.
        // Stores written by earlier versions appended token, upstream and master key records after the change, and a
        // process stopped between the two left the change without its record, which looks the same from here.
        const string Removed = "the record was removed from the audit log, or the process stopped before writing it";
        var start = state.CoverageStart;
        foreach (var token in state.Tokens)
        {
            if (token.CreatedAt >= start && !facts.TokensCreated.Contains(token.Id))
            {
                problems.Add($"token {token.Id} (issued {Time(token.CreatedAt)}) has no record of its issue: {Removed}");
            }

            if (token.RevokedAt is { } revoked && revoked >= start
                && !facts.TokensEnded.Contains(token.Id) && !facts.UpstreamsRemoved.Contains(token.UpstreamId))
            {
                problems.Add($"token {token.Id} (revoked {Time(revoked)}) has no record of its revocation: {Removed}");
            }
        }

        foreach (var upstream in state.Upstreams)
        {
            if (upstream.CreatedAt >= start && !facts.UpstreamsAdded.Contains(upstream.Id) && !facts.UpstreamNamesAdded.Contains(upstream.Name))
            {
                problems.Add($"upstream '{upstream.Name}' ({upstream.Id}, added {Time(upstream.CreatedAt)}) has no record of being added: {Removed}");
            }

            foreach (var rotation in state.Rotations[upstream.Id])
            {
                if (rotation.CreatedAt >= start && !facts.Rotations.Contains(rotation.Id))
                {
                    problems.Add($"rotation {rotation.Id} of upstream '{upstream.Name}' (opened {Time(rotation.CreatedAt)}) has no record of its steps: {Removed}");
                }
            }
        }

        foreach (var sink in state.Sinks)
        {
            if (sink.CreatedAt >= start && !facts.Sinks.Contains(sink.Id))
            {
                problems.Add($"sink {sink.Id} (added {Time(sink.CreatedAt)}) has no record of being added: {Removed}");
            }
        }
    }

    /// <summary>What the vault holds that admin records must account for, read before the log.</summary>
    private sealed record VaultState(
        DateTimeOffset CoverageStart,
        IReadOnlyList<TokenRecord> Tokens,
        IReadOnlyList<UpstreamRecord> Upstreams,
        ILookup<string, RotationRecord> Rotations,
        IReadOnlyList<SinkRecord> Sinks)
    {
        public static async Task<VaultState> ReadAsync(IKeywardenStore store, CancellationToken cancellationToken)
        {
            var upstreams = await store.ListUpstreamsAsync(cancellationToken);
            var rotations = new List<RotationRecord>();
            foreach (var upstream in upstreams)
            {
                rotations.AddRange(await store.ListRotationsAsync(upstream.Id, cancellationToken));
            }

            return new VaultState(
                await store.GetAuditCoverageStartAsync(cancellationToken),
                await store.ListTokensAsync(cancellationToken),
                upstreams,
                rotations.ToLookup(r => r.UpstreamId, StringComparer.Ordinal),
                await store.ListSinksAsync(null, cancellationToken));
        }
    }

    private static string Describe(AuditCheckpoint checkpoint) =>
        $"the checkpoint of {Time(checkpoint.Time)} ({checkpoint.Source})";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The ids the admin records name, by what the action did to them.</summary>
    private sealed class AdminFacts
    {
        public HashSet<string> TokensCreated { get; } = new(StringComparer.Ordinal);

        public HashSet<string> TokensEnded { get; } = new(StringComparer.Ordinal);

        public HashSet<string> UpstreamsAdded { get; } = new(StringComparer.Ordinal);

        public HashSet<string> UpstreamNamesAdded { get; } = new(StringComparer.Ordinal);

        public HashSet<string> UpstreamsRemoved { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Rotations { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Sinks { get; } = new(StringComparer.Ordinal);

        public void Add(AuditEntry entry)
        {
            if (entry.Kind != AuditKind.Admin)
            {
                return;
            }

            switch (entry.Method)
            {
                case "token.issue":
                case "token.decoy":
                    TokensCreated.Add(entry.Path);
                    break;
                case "token.rotate":
                    // On the old token (path), about its successor (token id); a grace of 0 revokes the old one at once.
                    TokensEnded.Add(entry.Path);
                    AddIfNotNull(TokensCreated, entry.TokenId);
                    break;
                case "token.revoke":
                    TokensEnded.Add(entry.Path);
                    break;
                case "upstream.add":
                    UpstreamNamesAdded.Add(entry.Path);
                    AddIfNotNull(UpstreamsAdded, entry.UpstreamId);
                    break;
                case "upstream.remove":
                    AddIfNotNull(UpstreamsRemoved, entry.UpstreamId);
                    break;
                case "sink.add":
                    AddIfNotNull(Sinks, IdBeforeColon(entry.Detail));
                    break;
                default:
                    if (entry.Method.StartsWith("rotation.", StringComparison.Ordinal))
                    {
                        AddIfNotNull(Rotations, IdBeforeColon(entry.Detail));
                    }

                    break;
            }
        }

        private static void AddIfNotNull(HashSet<string> set, string? value)
        {
            if (value is not null)
            {
                set.Add(value);
            }
        }

        /// <summary><c>rot_abc: why</c> → <c>rot_abc</c>.</summary>
        private static string? IdBeforeColon(string? detail)
        {
            var colon = detail?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            return colon > 0 ? detail![..colon] : null;
        }
    }
}
