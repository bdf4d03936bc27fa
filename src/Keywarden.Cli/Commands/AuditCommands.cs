using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Audit;
using Keywarden.Core.IO;
using Keywarden.Storage.Audit;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden audit tail|verify|export</c>: reads the hash-chained audit log. Needs the store, not the master key.</summary>
internal static class AuditCommands
{
    private const string TimeFormat = AuditDocuments.TimeFormat;
    private const int MaxProblemsShown = 10;
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("audit", "The tamper-evident audit log: every gateway request and admin action, hash-chained");
        command.Subcommands.Add(Tail(globals));
        command.Subcommands.Add(Verify(globals));
        command.Subcommands.Add(Checkpoint(globals));
        command.Subcommands.Add(Export(globals));
        return command;
    }

    private static Command Tail(CliGlobals globals)
    {
        var lines = new Option<int>("-n", "--lines") { Description = "How many of the latest records to show", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records until Ctrl+C" };
        var json = new Option<bool>("--json") { Description = "One JSON object per record and line (hashes in hex)" };
        var actor = new Option<string?>("--actor") { Description = "Only the admin actions of this operator (or machine:NAME), e.g. ada" };
        var command = new Command("tail", "Show the latest audit records") { lines, follow, json, actor };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var count = result.GetValue(lines);
            if (count < 0)
            {
                throw new CliException("-n must be 0 or more");
            }

            var asJson = result.GetValue(json);
            var following = result.GetValue(follow);
            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var who = result.GetValue(actor);
            var records = await AuditTail.ReadAsync(store, count, who, cancellationToken);
            if (asJson || following)
            {
                await WriteLinesAsync(context.Out, records, asJson);
            }
            else if (records.Count == 0)
            {
                await context.Out.WriteLineAsync("No audit records yet.");
            }
            else
            {
                ToTable(records).Write(context.Console);
            }

            if (!following)
            {
                return ExitCodes.Ok;
            }

            var head = records.Count > 0 ? records : await store.TailAsync(1, cancellationToken);
            var last = head.Count > 0 ? head[^1].Sequence : 0;
            try
            {
                while (true)
                {
                    await Task.Delay(FollowInterval, context.Time, cancellationToken);
                    var page = await store.ReadAsync(last, 500, cancellationToken);
                    if (page.Count > 0)
                    {
                        await WriteLinesAsync(context.Out, who is null ? page : page.Where(r => AuditTail.IsBy(r, who)), asJson);
                        await context.Out.FlushAsync(cancellationToken);
                        last = page[^1].Sequence;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok; // Ctrl+C ends --follow; that is not an error
            }
        });
        return command;
    }

    private static Command Verify(CliGlobals globals)
    {
        var json = CliGlobals.JsonOption();
        var checkpoints = new Option<string[]>("--checkpoints")
        {
            Description = "A file of checkpoints kept outside the vault (written by 'audit checkpoint --to'); each must still be in the log (repeatable)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(
            "verify",
            "Check the hash chain, its checkpoints and that every token, upstream, rotation and sink has the record that made it: exit 0 when intact, 1 otherwise")
        {
            checkpoints, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var outside = new List<AuditCheckpoint>();
            foreach (var file in result.GetValue(checkpoints) ?? [])
            {
                outside.AddRange(ReadCheckpoints(file));
            }

            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var report = await AuditIntegrity.VerifyAsync(store, outside, cancellationToken);
            var verification = report.Chain;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, AuditDocuments.Verification(report));
            }
            else if (report.Intact)
            {
                await context.Out.WriteLineAsync($"intact: {verification.RecordsChecked} records, {report.CheckpointsChecked} checkpoints");
                if (verification.LastGoodSequence > 0)
                {
                    // Only a copy of the head kept outside the vault reveals a log rewritten with its checkpoints.
                    await context.Out.WriteLineAsync($"head: record {verification.LastGoodSequence}, hash {Convert.ToHexStringLower(verification.LastGoodHash)}");
                }
            }
            else
            {
                if (!verification.Intact)
                {
                    await context.Out.WriteLineAsync($"tampered: record {verification.FirstBadSequence}: {verification.Problem}");
                }

                foreach (var problem in report.Problems.Take(MaxProblemsShown))
                {
                    await context.Out.WriteLineAsync($"tampered: {problem}");
                }

                if (report.Problems.Count > MaxProblemsShown)
                {
                    await context.Out.WriteLineAsync($"... and {report.Problems.Count - MaxProblemsShown} more problems (--json lists them all)");
                }

                await context.Out.WriteLineAsync(
                    $"checked {verification.RecordsChecked} records and {report.CheckpointsChecked} checkpoints; the last intact record is {(verification.LastGoodSequence > 0 ? $"record {verification.LastGoodSequence}" : "none")}");
            }

            return report.Intact ? ExitCodes.Ok : ExitCodes.Findings;
        });
        return command;
    }

    private static Command Checkpoint(CliGlobals globals)
    {
        var to = new Option<string?>("--to") { Description = "Also append it to this file, best kept off this machine (created 0600, replaced atomically)" };
        var json = new Option<bool>("--json") { Description = "Print the checkpoint as its JSON line" };
        var command = new Command(
            "checkpoint",
            "Record the log's head (sequence and hash) as a checkpoint: 'audit verify' then fails if that record is ever cut off or replaced")
        {
            to, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var checkpoint = await store.CheckpointAsync("cli", cancellationToken)
                ?? throw new CliException("the audit log is empty: there is nothing to checkpoint yet");
            if (result.GetValue(to) is { } file)
            {
                try
                {
                    AuditCheckpointFile.Append(file, checkpoint);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"cannot write the checkpoint to '{file}': {e.Message} (it is recorded in the vault)");
                }
            }

            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(AuditCheckpointFile.Format(checkpoint));
            }
            else
            {
                await context.Out.WriteLineAsync($"checkpoint: record {checkpoint.Sequence}, hash {Convert.ToHexStringLower(checkpoint.Hash)}");
                if (result.GetValue(to) is { } written)
                {
                    await context.Out.WriteLineAsync($"appended to {written}; check with: keywarden audit verify --checkpoints {written}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static IReadOnlyList<AuditCheckpoint> ReadCheckpoints(string file)
    {
        try
        {
            return AuditCheckpointFile.Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CliException($"cannot read the checkpoints in '{file}': {e.Message}");
        }
    }

    private static Command Export(CliGlobals globals)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file, replaced atomically (default: standard output)" };
        var since = new Option<string?>("--since") { Description = "Only records from this time on: ISO-8601 (2025-03-14T00:00:00Z) or an age (24h, 7d)" };
        var command = new Command("export", "Export audit records as JSON lines, one record per line, hashes in hex") { output, since };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var from = result.GetValue(since) is { } text ? ParseSince(text, context.Time.GetUtcNow()) : DateTimeOffset.MinValue;
            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var records = Since(store.ReadAllAsync(cancellationToken), from);
            if (result.GetValue(output) is not { } path)
            {
                await foreach (var record in records)
                {
                    await context.Out.WriteLineAsync(Encoding.UTF8.GetString(ToJsonLine(record).WrittenSpan));
                }

                return ExitCodes.Ok;
            }

            var written = await WriteAtomicallyAsync(path, records, cancellationToken);
            await context.Error.WriteLineAsync($"Exported {written} audit records to {path}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async IAsyncEnumerable<AuditRecord> Since(IAsyncEnumerable<AuditRecord> records, DateTimeOffset from)
    {
        await foreach (var record in records)
        {
            if (record.Entry.Time >= from)
            {
                yield return record;
            }
        }
    }

    private static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && "smhdw".Contains(text[^1], StringComparison.Ordinal) && text[..^1].All(char.IsAsciiDigit))
        {
            return now - TimeSpec.ParseDuration(text, "--since");
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new CliException($"invalid --since '{text}': expected an ISO-8601 time (2025-03-14T00:00:00Z) or an age (24h, 7d)");
    }

    /// <summary>Streams the records to <paramref name="path"/>, replaced atomically (0600).</summary>
    private static Task<long> WriteAtomicallyAsync(string path, IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(
            path,
            async (stream, ct) =>
            {
                long count = 0;
                await foreach (var record in records.WithCancellation(ct))
                {
                    await stream.WriteAsync(ToJsonLine(record).WrittenMemory, ct);
                    stream.WriteByte((byte)'\n');
                    count++;
                }

                return count;
            },
            cancellationToken: cancellationToken);

    private static async Task WriteLinesAsync(TextWriter output, IEnumerable<AuditRecord> records, bool asJson)
    {
        foreach (var record in records)
        {
            await output.WriteLineAsync(asJson ? Encoding.UTF8.GetString(ToJsonLine(record).WrittenSpan) : ToTextLine(record));
        }
    }

    private static CliTable ToTable(IEnumerable<AuditRecord> records)
    {
        var table = new CliTable().Column("SEQ").Column("TIME (UTC)").Column("DECISION").Column("RULE").Column("WHO").Column("METHOD")
            .Prose("PATH").Column("STATUS").Column("LATENCY");
        foreach (var r in records)
        {
            var e = r.Entry;
            table.Row(
                r.Sequence.ToString(CultureInfo.InvariantCulture),
                e.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
                new CliCell(Word(e.Decision), e.Decision == AuditDecision.Deny ? "red" : null),
                e.Rule,
                Who(e),
                e.Method,
                e.Path,
                Status(e),
                Latency(e));
        }

        return table;
    }

    private static string ToTextLine(AuditRecord r)
    {
        var e = r.Entry;
        return string.Join(
            "  ",
            r.Sequence.ToString(CultureInfo.InvariantCulture),
            e.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
            Word(e.Decision),
            e.Rule,
            Who(e),
            e.Method,
            e.Path,
            Status(e),
            Latency(e));
    }

    // Who acted: the token for a request, the operator for an admin action (whose subject is in the path column).
    private static string Who(AuditEntry e) => (e.Kind == AuditKind.Admin ? e.Actor : e.TokenId) ?? e.TokenId ?? "-";

    private static string Status(AuditEntry e) => e.UpstreamStatus?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Latency(AuditEntry e) => e.LatencyMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Word(AuditDecision decision) => AuditDocuments.DecisionWord(decision);

    private static ArrayBufferWriter<byte> ToJsonLine(AuditRecord record) => AuditDocuments.JsonLine(record);
}
