using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden alerts list|show|ack|resolve</c>: the monitor's anomaly alerts. Needs the store, not the master key.</summary>
internal static class AlertCommands
{
    private const string AllStates = "all";
    private const int DefaultLimit = 50;

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("alerts", "Anomaly alerts: unusual use of a token, decoys used; list, look at, acknowledge and resolve them");
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Show(globals));
        command.Subcommands.Add(Change(globals, "ack", "Acknowledge an open alert: you have seen it (repeats still count into it)", resolve: false));
        command.Subcommands.Add(Change(globals, "resolve", "Resolve an alert; a repeat of its anomaly opens a new one", resolve: true));
        return command;
    }

    private static Command List(CliGlobals globals)
    {
        var state = new Option<string?>("--state") { Description = "Only alerts in this state, or all (default: open and acknowledged)", HelpName = "state" };
        state.AcceptOnlyFromAmong("open", "acknowledged", "resolved", AllStates);
        var severity = new Option<string?>("--severity") { Description = "Only alerts at least this severe", HelpName = "severity" };
        severity.AcceptOnlyFromAmong("info", "warning", "critical");
        var token = new Option<string?>("--token") { Description = "Only alerts about this token (tok_…)", HelpName = "id" };
        var detector = new Option<string?>("--detector") { Description = "Only alerts of this detector, e.g. volume, new-network, decoy", HelpName = "name" };
        var limit = new Option<int>("--limit") { Description = $"At most this many, last seen first (1 to {AlertQuery.MaxLimit})", DefaultValueFactory = _ => DefaultLimit };
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List alerts, last seen first") { state, severity, token, detector, limit, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            if (result.GetValue(token) is { } tokenId && !AccessorId.IsValid(tokenId))
            {
                throw new CliException("invalid --token: it takes a token's id (tok_…, see 'keywarden token list')");
            }

            var stateWord = result.GetValue(state);
            var query = new AlertQuery
            {
                States = stateWord switch
                {
                    null => [AlertState.Open, AlertState.Acknowledged],
                    AllStates => [],
                    _ => [ParseState(stateWord)],
                },
                MinimumSeverity = result.GetValue(severity) is { } word ? ParseSeverity(word) : null,
                TokenId = result.GetValue(token),
                Detector = result.GetValue(detector),
                Limit = result.GetValue(limit),
            };

            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var alerts = await new AlertService(store, context.Time).ListAsync(query, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { alerts = alerts.Select(Document) });
                return ExitCodes.Ok;
            }

            if (alerts.Count == 0)
            {
                await context.Out.WriteLineAsync(stateWord is null ? "No open or acknowledged alerts." : "No alerts match.");
                return ExitCodes.Ok;
            }

            var table = new CliTable()
                .Column("ID").Column("SEVERITY").Column("STATE").Column("DETECTOR").Column("TOKEN").Column("CLIENT").Column("COUNT").Column("LAST (UTC)")
                .Prose("WHY");
            foreach (var alert in alerts)
            {
                table.Row(
                    alert.Id,
                    new CliCell(Word(alert.Severity), SeverityStyle(alert.Severity)),
                    Word(alert.State),
                    alert.Detector,
                    alert.TokenId ?? "-",
                    alert.Client ?? "-",
                    alert.Count.ToString(CultureInfo.InvariantCulture),
                    alert.LastTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    alert.LastWhy);
            }

            table.Write(context.Console);
            if (alerts.Count == query.Limit)
            {
                await context.Error.WriteLineAsync($"The {alerts.Count} last seen are shown; there may be more (--limit).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The alert's id (al_…), from 'keywarden alerts list'" };
        var json = CliGlobals.JsonOption();
        var command = new Command("show", "Show an alert: what was seen, why it is unusual, what was done and who looked at it") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var alert = await new AlertService(store, globals.Context.Time).ShowAsync(result.GetValue(id)!, cancellationToken);
            var deliveries = await store.ListDeliveriesAsync(alert.Id, cancellationToken);
            var targets = (await store.ListTargetsAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Display, StringComparer.Ordinal);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, WithDeliveries(alert, deliveries, targets));
                return ExitCodes.Ok;
            }

            await PrintAsync(globals.Context, alert, json: false, deliveries, targets);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Change(CliGlobals globals, string name, string description, bool resolve)
    {
        var id = new Argument<string>("id") { Description = "The alert's id (al_…), from 'keywarden alerts list'" };
        var note = new Option<string?>("--note") { Description = "Why, in a few words (kept with the alert and in the audit log)", HelpName = "text" };
        var json = CliGlobals.JsonOption();
        var command = new Command(name, description) { id, note, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var store = await globals.Vaults(result).OpenStoreAsync(cancellationToken);
            var alerts = new AlertService(store, context.Time);
            var alert = resolve
                ? await alerts.ResolveAsync(result.GetValue(id)!, result.GetValue(note), cancellationToken)
                : await alerts.AcknowledgeAsync(result.GetValue(id)!, result.GetValue(note), cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, Document(alert));
            }
            else
            {
                await context.Out.WriteLineAsync(resolve
                    ? $"Resolved {alert.Id} ({Word(alert.Severity)} {alert.Detector}); a repeat of the anomaly opens a new alert."
                    : $"Acknowledged {alert.Id} ({Word(alert.Severity)} {alert.Detector}); resolve it when done: keywarden alerts resolve {alert.Id}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The detail view of one alert: a title line, then a labelled line per fact that is known.</summary>
    private static async Task PrintAsync(
        CliContext context, AlertRecord alert, bool json, IReadOnlyList<NotificationDelivery>? deliveries = null, IReadOnlyDictionary<string, string>? targets = null)
    {
        if (json)
        {
            JsonOutput.Write(context, Document(alert));
            return;
        }

        var lines = new List<(string Label, string Text)>();
        if (alert.TokenId is { } tokenId)
        {
            lines.Add(("token", alert.UpstreamId is { } upstream ? $"{tokenId} (upstream {upstream})" : tokenId));
        }

        if (alert.Client is { } client)
        {
            lines.Add(("client", client));
        }

        lines.Add(("first seen", Instant(alert.FirstTime)));
        lines.Add(("last seen", alert.Count == 1 ? Instant(alert.LastTime) : $"{Instant(alert.LastTime)} ({alert.Count} times)"));
        lines.Add(("why", alert.LastWhy));
        if (alert.FirstWhy != alert.LastWhy)
        {
            lines.Add(("first why", alert.FirstWhy));
        }

        if (alert.Learning)
        {
            lines.Add(("learning", "yes: seen while the token's normal use was still being learned; never acted on automatically"));
        }

        if (alert.Action is { } action)
        {
            lines.Add(("action", action));
        }

        if (alert.AcknowledgedAt is { } acknowledgedAt)
        {
            lines.Add(("acknowledged", ByWhom(acknowledgedAt, alert.AcknowledgedBy, alert.AcknowledgeNote)));
        }

        if (alert.ResolvedAt is { } resolvedAt)
        {
            lines.Add(("resolved", ByWhom(resolvedAt, alert.ResolvedBy, alert.ResolveNote)));
        }

        foreach (var delivery in deliveries ?? [])
        {
            lines.Add(("notified", Describe(delivery, targets!)));
        }

        var next = alert.State switch
        {
            AlertState.Open => $"keywarden alerts ack {alert.Id}, or keywarden alerts resolve {alert.Id}",
            AlertState.Acknowledged => $"keywarden alerts resolve {alert.Id}",
            _ => null,
        };
        if (next is not null)
        {
            lines.Add(("next", next));
        }

        var width = lines.Max(l => l.Label.Length) + 2;
        await context.Out.WriteLineAsync($"Alert {alert.Id}: {Word(alert.Severity)} {alert.Detector}, {Word(alert.State)}");
        foreach (var (label, text) in lines)
        {
            await context.Out.WriteLineAsync($"  {(label + ":").PadRight(width)}{text}");
        }
    }

    /// <summary>One webhook delivery of an alert, in words: where, and delivered, cancelled, or pending with why and when next.</summary>
    private static string Describe(NotificationDelivery delivery, IReadOnlyDictionary<string, string> targets)
    {
        var where = targets.TryGetValue(delivery.TargetId, out var display) ? $"{delivery.TargetId} {display}" : $"{delivery.TargetId} (removed)";
        var attempts = delivery.Attempts == 1 ? "1 attempt" : $"{delivery.Attempts} attempts";
        return delivery.State switch
        {
            DeliveryState.Delivered => $"{where}: delivered {Instant(delivery.DeliveredAt!.Value)} ({attempts})",
            DeliveryState.Cancelled => $"{where}: cancelled (the webhook was removed) after {attempts}",
            _ when delivery.Attempts == 0 => $"{where}: queued, first try {Instant(delivery.NextAttemptAt)}",
            _ => $"{where}: not yet delivered ({attempts}; last: {delivery.LastError}); next try {Instant(delivery.NextAttemptAt)}",
        };
    }

    /// <summary><c>alerts show --json</c>: the alert, and its webhook deliveries.</summary>
    private static JsonObject WithDeliveries(AlertRecord alert, IReadOnlyList<NotificationDelivery> deliveries, IReadOnlyDictionary<string, string> targets)
    {
        var document = (JsonObject)JsonSerializer.SerializeToNode(Document(alert), JsonOutput.Options)!;
        document["deliveries"] = JsonSerializer.SerializeToNode(
            deliveries.Select(d => new
            {
                target_id = d.TargetId,
                url = targets.GetValueOrDefault(d.TargetId),
                state = d.State switch { DeliveryState.Delivered => "delivered", DeliveryState.Cancelled => "cancelled", _ => "pending" },
                attempts = d.Attempts,
                last_error = d.LastError,
                next_attempt_at = d.State == DeliveryState.Pending ? d.NextAttemptAt : (DateTimeOffset?)null,
                delivered_at = d.DeliveredAt,
            }),
            JsonOutput.Options);
        return document;
    }

    private static object Document(AlertRecord alert) => AlertDocuments.Alert(alert);

    private static string ByWhom(DateTimeOffset at, string? actor, string? note) =>
        $"{Instant(at)} by {actor ?? "(unknown)"}" + (note is null ? "" : $": {note}");

    private static string Instant(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);

    private static string Word(AlertSeverity severity) => AlertAudit.Word(severity);

    private static string Word(AlertState state) => state switch
    {
        AlertState.Open => "open",
        AlertState.Acknowledged => "acknowledged",
        AlertState.Resolved => "resolved",
        _ => state.ToString(),
    };

    private static AlertState ParseState(string word) => word switch
    {
        "open" => AlertState.Open,
        "acknowledged" => AlertState.Acknowledged,
        "resolved" => AlertState.Resolved,
        _ => throw new CliException($"unknown alert state '{word}': use open, acknowledged, resolved or all"),
    };

    /// <summary>A severity as typed: info, warning or critical.</summary>
    internal static AlertSeverity ParseSeverity(string word) =>
        AlertAudit.ParseSeverity(word) ?? throw new CliException($"unknown alert severity '{word}': use info, warning or critical");

    private static string? SeverityStyle(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "red",
        AlertSeverity.Warning => "yellow",
        _ => null,
    };
}
