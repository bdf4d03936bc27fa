using System.CommandLine;
using System.Globalization;
using System.Text;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Monitoring;
using Keywarden.Monitoring;
using Keywarden.Monitoring.Replay;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden monitor replay FILE</c>: runs every anomaly detector, with fresh baselines, over an audit export and prints
/// the alerts it would raise. Needs neither the store nor the master key. Exit 0 without alerts, 1 with, 2 on error.
/// </summary>
internal static class MonitorCommands
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm";
    private const int ProgressEvery = 1 << 16;

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("monitor", "Anomaly monitoring: each token's normal use learned from the audit log, alerts when a use is not");
        command.Subcommands.Add(Replay(globals));
        return command;
    }

    private static Command Replay(CliGlobals globals)
    {
        var file = new Argument<string>("file") { Description = "An audit export (JSON lines, as 'audit export' writes them; the hash chain need not be intact), '-' for stdin" };
        var json = new Option<bool>("--json")
        {
            Description = "One JSON document: records read and the alerts (detector, severity, token_id, client, first_time, last_time, count, why, …)",
        };
        var command = new Command(
            "replay",
            "Run every detector, with fresh baselines, over an audit export and print the alerts it would raise: exit 0 without alerts, 1 with")
        {
            file, json,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var context = globals.Context;
            var path = result.GetValue(file)!;
            var (records, alerts) = Run(context, path, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new
                {
                    records,
                    alerts = alerts.Select(a => new
                    {
                        detector = a.Detector,
                        severity = a.Severity,
                        token_id = a.TokenId,
                        upstream_id = a.UpstreamId,
                        client = a.Client,
                        first_time = a.FirstTime,
                        last_time = a.LastTime,
                        count = a.Count,
                        learning = a.Learning,
                        dedup_key = a.DedupKey,
                        why = a.Why,
                        last_why = a.LastWhy,
                    }),
                });
            }
            else if (alerts.Count == 0)
            {
                context.Out.WriteLine($"No alerts in {Plural(records, "record")}.");
            }
            else
            {
                ToTable(alerts).Write(context.Console);
                var learning = alerts.Count(a => a.Learning);
                context.Out.WriteLine(
                    $"{Plural(alerts.Count, "alert")} from {Plural(records, "record")}"
                    + (learning > 0 ? $"; {learning} from learning-period data (a token's first week: shown, never acted on)" : "") + ".");
            }

            return Task.FromResult(alerts.Count == 0 ? ExitCodes.Ok : ExitCodes.Findings);
        });
        return command;
    }

    /// <summary>Streams the export through a fresh engine: one buffer, however large the file.</summary>
    private static (long Records, IReadOnlyList<MonitorAlertGroup> Alerts) Run(CliContext context, string path, CancellationToken cancellationToken)
    {
        var engine = new MonitorEngine();
        var ledger = new MonitorAlertLedger();
        var raised = new List<MonitorAlert>();
        long records = 0;
        using var input = Open(context, path);
        var reader = new AuditExportReader(input);
        var size = input.CanSeek ? input.Length : 0;
        using var status = TerminalStatusLine.ForStderr(context);
        try
        {
            while (reader.TryRead(out var record))
            {
                records++;
                engine.Observe(record, raised);
                if (raised.Count > 0)
                {
                    foreach (var alert in raised)
                    {
                        ledger.Add(alert);
                    }

                    raised.Clear();
                }

                if (records % ProgressEvery == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    status?.Show(
                        static s => $"replayed {s.Records} records, {s.Bytes / (1024.0 * 1024.0):F0} MiB{(s.Size > 0 ? $" of {s.Size / (1024.0 * 1024.0):F0}" : "")}, {s.Alerts} alerts",
                        (Records: records, Bytes: reader.BytesRead, Size: size, Alerts: ledger.Alerts.Count));
                }
            }
        }
        catch (AuditExportException e)
        {
            throw new CliException($"{(path == "-" ? "stdin" : $"'{path}'")} {e.Message}", e);
        }

        return (records, ledger.Alerts);
    }

    private static Stream Open(CliContext context, string path)
    {
        if (path == "-")
        {
            // The process's stdin as bytes; an injected reader (tests) is read whole, as text.
            return ReferenceEquals(context.In, Console.In) ? Console.OpenStandardInput() : new MemoryStream(Encoding.UTF8.GetBytes(context.In.ReadToEnd()));
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read '{path}': {e.Message}");
        }
    }

    private static CliTable ToTable(IEnumerable<MonitorAlertGroup> alerts)
    {
        var table = new CliTable().Column("SEVERITY").Column("DETECTOR").Column("TOKEN").Column("CLIENT").Column("FIRST (UTC)").Column("LAST (UTC)")
            .Column("COUNT").Prose("WHY");
        foreach (var a in alerts)
        {
            table.Row(
                new CliCell(a.Severity.ToString().ToLowerInvariant() + (a.Learning ? " (learning)" : ""), a.Severity == AlertSeverity.Critical ? "red" : a.Severity == AlertSeverity.Warning ? "yellow" : null),
                a.Detector,
                a.TokenId ?? "-",
                a.Client ?? "-",
                a.FirstTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
                a.LastTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
                a.Count.ToString(CultureInfo.InvariantCulture),
                a.Why);
        }

        return table;
    }

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
