using System.CommandLine;
using System.Globalization;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Monitoring;
using Keywarden.Notifications;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden notify add|list|remove|test</c>: where alerts are sent.</summary>
internal static class NotifyCommands
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("notify", "Where alerts are sent: webhooks (Keywarden's signed JSON, or Slack's format)");
        command.Subcommands.Add(Add(globals));
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Remove(globals));
        command.Subcommands.Add(Test(globals));
        return command;
    }

    private static Command Add(CliGlobals globals)
    {
        var add = new Command("add", "Send alerts somewhere");
        var url = new Argument<string?>("url")
        {
            Description = "The webhook's http(s) URL; '-' or nothing reads it from stdin (a Slack URL is a secret: keep it out of your shell history)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string>("--format") { Description = "generic (Keywarden's JSON, signed with HMAC-SHA256) or slack", DefaultValueFactory = _ => "generic" };
        format.AcceptOnlyFromAmong("generic", "slack");
        var minSeverity = new Option<string>("--min-severity") { Description = "Send alerts of this severity and above: info, warning or critical", DefaultValueFactory = _ => "warning" };
        minSeverity.AcceptOnlyFromAmong("info", "warning", "critical");
        var json = CliGlobals.JsonOption();
        var webhook = new Command("webhook", "Post each new alert to a URL; the signing secret is printed once") { url, format, minSeverity, json };
        webhook.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var given = result.GetValue(url);
            var address = given is null or "-" ? await SecretInput.ReadAsync(context, null, "webhook URL", cancellationToken) : given;
            var kind = result.GetValue(format) == "slack" ? NotificationFormat.Slack : NotificationFormat.Generic;
            var severity = AlertCommands.ParseSeverity(result.GetValue(minSeverity)!);
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var added = await vault.Notifications.AddWebhookAsync(address, kind, severity, cancellationToken);
            var target = added.Target;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, NotifyDocuments.Added(added));
                return ExitCodes.Ok;
            }

            await context.Out.WriteLineAsync(
                $"Added webhook {target.Id}: {target.Display} ({NotificationService.Word(target.Format)}, {NotificationService.Word(target.MinSeverity)} and above).");
            if (kind == NotificationFormat.Generic)
            {
                await context.Out.WriteLineAsync($"Signing secret (shown once; the receiver checks the {WebhookSignature.Header} header with it):");
                await context.Out.WriteLineAsync(added.SigningSecret);
            }

            await context.Out.WriteLineAsync($"Send a test alert: keywarden notify test {target.Id}");
            return ExitCodes.Ok;
        });
        add.Subcommands.Add(webhook);
        return add;
    }

    private static Command List(CliGlobals globals)
    {
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List where alerts are sent") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var targets = await vault.Notifications.ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { targets = targets.Select(NotifyDocuments.Target) });
                return ExitCodes.Ok;
            }

            if (targets.Count == 0)
            {
                await globals.Context.Out.WriteLineAsync("No webhooks: keywarden notify add webhook https://alerts.example.com/keywarden");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("ID").Column("FORMAT").Column("MIN SEVERITY").Prose("URL").Column("ADDED");
            foreach (var target in targets)
            {
                table.Row(
                    target.Id,
                    NotificationService.Word(target.Format),
                    NotificationService.Word(target.MinSeverity),
                    target.Display,
                    target.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            table.Write(globals.Context.Console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The webhook's id (see 'keywarden notify list')" };
        var json = CliGlobals.JsonOption();
        var command = new Command("remove", "Stop sending alerts to a webhook; its undelivered alerts are dropped") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            await vault.Notifications.RemoveAsync(result.GetValue(id)!, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { id = result.GetValue(id), removed = true });
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"Removed webhook {result.GetValue(id)}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The webhook's id (see 'keywarden notify list')" };
        var command = new Command("test", "Post a test alert to a webhook now and say whether it was accepted (exit 1 if not)") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var endpoint = await vault.Notifications.OpenAsync(result.GetValue(id)!, cancellationToken)
                ?? throw new VaultException(VaultErrorCode.NotificationTargetNotFound, result.GetValue(id));
            var now = context.Time.GetUtcNow();
            var notice = new AlertNotice(
                "al_test", "test", AlertSeverity.Info, null, null, now, now, 1, "a test alert sent by 'keywarden notify test': nothing is wrong");
            using var sender = new WebhookSender(new NotificationOptions(), context.Time);
            var outcome = await sender.SendAsync(endpoint, notice, 0, cancellationToken);
            var display = NotificationService.Display(endpoint.Url);
            if (outcome.Delivered)
            {
                await context.Out.WriteLineAsync($"Delivered a test alert to {endpoint.TargetId} ({display}).");
                return ExitCodes.Ok;
            }

            await context.Error.WriteLineAsync($"Not delivered to {endpoint.TargetId} ({display}): {outcome.Failure}.");
            return ExitCodes.Findings;
        });
        return command;
    }
}
