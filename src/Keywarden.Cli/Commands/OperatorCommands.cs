using System.CommandLine;
using System.Globalization;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Operators;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden operator add|join|list|remove|role|sessions|credential</c>: the people and machines that use the admin API.
/// Run here they work on the vault directly, as whoever holds the master key (recorded as the operating system user).
/// </summary>
internal static class OperatorCommands
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("operator", "People and machines that use the admin API: invite, join with password and TOTP, roles, sessions, machine credentials");
        command.Subcommands.Add(Add(globals));
        command.Subcommands.Add(OperatorJoin.Create(globals));
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Remove(globals));
        command.Subcommands.Add(Role(globals));
        command.Subcommands.Add(Sessions(globals));
        command.Subcommands.Add(Credential(globals));
        return command;
    }

    /// <summary>The role words of the command line.</summary>
    public static OperatorRole ParseRole(string word) => word switch
    {
        "viewer" => OperatorRole.Viewer,
        "operator" => OperatorRole.Operator,
        "admin" => OperatorRole.Admin,
        _ => throw new CliException($"unknown role '{word}': expected viewer, operator or admin"),
    };

    private static Option<string> RoleOption(string description, bool required)
    {
        var role = new Option<string>("--role") { Description = description, HelpName = "role", Required = required };
        role.AcceptOnlyFromAmong("viewer", "operator", "admin");
        return role;
    }

    private static Command Add(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The new operator's login name" };
        var role = RoleOption("viewer (reads), operator (tokens, rotations, alerts) or admin (everything)", required: true);
        var json = CliGlobals.JsonOption();
        var command = new Command("add", "Invite an operator: prints a one-time code (valid 24 h) they redeem with 'keywarden operator join'") { name, role, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var invitation = await Service(vault, context).InviteAsync(result.GetValue(name)!, ParseRole(result.GetValue(role)!), AdminActor.Local, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, OperatorDocuments.Invitation(invitation));
                return ExitCodes.Ok;
            }

            await context.Out.WriteLineAsync(
                $"Invited '{invitation.Name}' as {OperatorService.Word(invitation.Role)}. Their one-time code (shown once, valid until {Instant(invitation.ExpiresAt)}):");
            await context.Out.WriteLineAsync(invitation.Code);
            await context.Out.WriteLineAsync("Hand it over privately; they run: keywarden operator join");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliGlobals globals)
    {
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List operators, their roles and whether they finished TOTP enrolment") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var operators = await Service(vault, context).ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { operators = operators.Select(OperatorDocuments.Operator) });
                return ExitCodes.Ok;
            }

            if (operators.Count == 0)
            {
                await context.Out.WriteLineAsync("No operators yet. Invite one: keywarden operator add NAME --role admin");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("NAME").Column("ROLE").Column("TOTP").Column("RECOVERY CODES").Column("LAST SEEN (UTC)").Column("LOCKED UNTIL (UTC)");
            foreach (var view in operators)
            {
                table.Row(
                    view.Name,
                    OperatorService.Word(view.Role),
                    view.Enrolled ? "enrolled" : "not yet",
                    view.RecoveryCodesLeft.ToString(CultureInfo.InvariantCulture),
                    view.LastSeenAt is { } seen ? Instant(seen) : "-",
                    view.LockedUntil is { } locked ? Instant(locked) : "-");
            }

            table.Write(context.Console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The operator's login name" };
        var command = new Command("remove", "Remove an operator; their sessions end (the last admin cannot be removed)") { name };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            await Service(vault, context).RemoveAsync(result.GetValue(name)!, AdminActor.Local, cancellationToken);
            await context.Out.WriteLineAsync($"Removed operator '{result.GetValue(name)}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Role(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The operator's login name" };
        var role = new Argument<string>("role") { Description = "viewer, operator or admin" };
        role.AcceptOnlyFromAmong("viewer", "operator", "admin");
        var command = new Command("role", "Change an operator's role (the last admin cannot be demoted)") { name, role };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var word = result.GetValue(role)!;
            var changed = await Service(vault, context).ChangeRoleAsync(result.GetValue(name)!, ParseRole(word), AdminActor.Local, cancellationToken);
            await context.Out.WriteLineAsync(changed ? $"'{result.GetValue(name)}' is now {word}." : $"'{result.GetValue(name)}' already is {word}; nothing changed.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sessions(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The operator's login name" };
        var json = CliGlobals.JsonOption();
        var list = new Command("sessions", "List an operator's sessions (never their tokens); end one with 'operator sessions revoke ID'") { name, json };
        list.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var sessions = await Service(vault, context).ListSessionsAsync(result.GetValue(name)!, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { sessions = sessions.Select(OperatorDocuments.Session) });
                return ExitCodes.Ok;
            }

            if (sessions.Count == 0)
            {
                await context.Out.WriteLineAsync($"'{result.GetValue(name)}' has no sessions.");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("ID").Column("STATE").Column("CREATED (UTC)").Column("LAST USED (UTC)").Column("EXPIRES (UTC)");
            foreach (var session in sessions)
            {
                table.Row(session.Id, session.IsActive ? "active" : "ended", Instant(session.CreatedAt), Instant(session.LastUsedAt), Instant(session.ExpiresAt));
            }

            table.Write(context.Console);
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The session's id (ses_…), from 'keywarden operator sessions NAME'" };
        var revoke = new Command("revoke", "End a session now: its token stops working") { id };
        revoke.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            await Service(vault, context).RevokeSessionAsync(result.GetValue(id)!, AdminActor.Local, cancellationToken);
            await context.Out.WriteLineAsync($"Ended session {result.GetValue(id)}.");
            return ExitCodes.Ok;
        });
        list.Subcommands.Add(revoke);
        return list;
    }

    private static Command Credential(CliGlobals globals)
    {
        var command = new Command("credential", "Machine credentials for CI/CD: a role and an expiry, no password or TOTP");

        var name = new Argument<string>("name") { Description = "A name for the machine, e.g. ci-deploy" };
        var role = RoleOption("What the machine may do: viewer, operator or admin", required: true);
        var expires = new Option<string>("--expires") { Description = "When it stops working: a duration (90d, 12h) or a UTC instant; at most a year", Required = true, HelpName = "when" };
        var json = CliGlobals.JsonOption();
        var issue = new Command("issue", "Issue a machine credential (kwm_…), printed once; it goes in the CI system's secret store") { name, role, expires, json };
        issue.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var now = context.Time.GetUtcNow();
            var expiresAt = TimeSpec.ParseInstant(result.GetValue(expires)!, "--expires", now);
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var issued = await Service(vault, context).IssueMachineCredentialAsync(
                result.GetValue(name)!, ParseRole(result.GetValue(role)!), expiresAt, AdminActor.Local, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, OperatorDocuments.IssuedMachineCredential(issued));
                return ExitCodes.Ok;
            }

            await context.Out.WriteLineAsync(
                $"Issued machine credential '{issued.View.Name}' ({OperatorService.Word(issued.View.Role)}, until {Instant(issued.View.ExpiresAt)}), shown once:");
            await context.Out.WriteLineAsync(issued.Credential);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(issue);

        var listJson = CliGlobals.JsonOption();
        var list = new Command("list", "List machine credentials (never their secrets)") { listJson };
        list.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var credentials = await Service(vault, context).ListMachineCredentialsAsync(cancellationToken);
            if (result.GetValue(listJson))
            {
                JsonOutput.Write(context, new { machine_credentials = credentials.Select(OperatorDocuments.MachineCredential) });
                return ExitCodes.Ok;
            }

            if (credentials.Count == 0)
            {
                await context.Out.WriteLineAsync("No machine credentials. Issue one: keywarden operator credential issue NAME --role viewer --expires 90d");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("NAME").Column("ROLE").Column("STATE").Column("EXPIRES (UTC)");
            foreach (var credential in credentials)
            {
                var state = credential.RevokedAt is not null ? "revoked" : credential.ExpiresAt <= context.Time.GetUtcNow() ? "expired" : "active";
                table.Row(credential.Name, OperatorService.Word(credential.Role), state, Instant(credential.ExpiresAt));
            }

            table.Write(context.Console);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(list);

        var revokeName = new Argument<string>("name") { Description = "The machine credential's name" };
        var revoke = new Command("revoke", "Revoke a machine credential now") { revokeName };
        revoke.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var revoked = await Service(vault, context).RevokeMachineCredentialAsync(result.GetValue(revokeName)!, AdminActor.Local, cancellationToken);
            await context.Out.WriteLineAsync(revoked
                ? $"Revoked machine credential '{result.GetValue(revokeName)}'."
                : $"Machine credential '{result.GetValue(revokeName)}' was already revoked; nothing changed.");
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(revoke);
        return command;
    }

    /// <summary>The operator service over an opened vault, on the CLI's clock.</summary>
    public static OperatorService Service(KeywardenVault vault, CliContext context) => new(vault.Store, vault.MasterKey, context.Time);

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
