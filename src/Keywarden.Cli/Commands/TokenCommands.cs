using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden token issue|decoy|list|show|revoke|rotate|suspend|resume</c>.</summary>
internal static class TokenCommands
{
    /// <summary>The fields of <c>token issue --json</c>, which <c>--field</c> can print alone.</summary>
    internal static readonly string[] IssuedFields = [.. TokenDocuments.IssuedFields];

    /// <summary>The words of <c>--on-anomaly</c>, as stored and shown.</summary>
    private static readonly string[] AnomalyWords = ["alert", "suspend"];

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("token", "Gateway tokens: narrow, expiring, revocable stand-ins for the real key");
        command.Subcommands.Add(Issue(globals));
        command.Subcommands.Add(Decoy(globals));
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Show(globals));
        command.Subcommands.Add(Revoke(globals));
        command.Subcommands.Add(Rotate(globals));
        command.Subcommands.Add(OnAnomaly(globals));
        command.Subcommands.Add(Suspend(globals));
        command.Subcommands.Add(Resume(globals));
        return command;
    }

    private static Command Issue(CliGlobals globals)
    {
        var upstream = new Option<string>("--upstream") { Description = "The upstream whose key the token stands for", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. the application's name", Required = true };
        var readOnly = new Option<bool>("--read-only") { Description = "Only reading calls" };
        var paths = Many("--path", "Marketing: allowed path glob after /3.0, e.g. '/lists/**' (repeatable; default: all)");
        var methods = Many("--method", "Transactional: allowed method, e.g. messages/send (repeatable; default: all)");
        var cidrs = Many("--cidr", "Allowed client network, e.g. 203.0.113.0/24 (repeatable; default: any)");
        var origins = Many("--origin", "Allowed browser origin (default: browser requests are refused)");
        var expires = new Option<string?>("--expires") { Description = "30d, 12h, or an ISO-8601 time (default: 90d)" };
        var neverExpires = new Option<bool>("--no-expiry") { Description = "Issue a token that never expires (not recommended)" };
        var notBefore = new Option<string?>("--not-before") { Description = "Refuse the token before this time (duration from now or ISO-8601)" };
        var rate = new Option<string?>("--rate") { Description = "Request budget, e.g. 600/min" };
        var fromDomains = Many("--from-domain", "Transactional: allowed sender domain (repeatable)");
        var maxRecipients = new Option<int?>("--max-recipients") { Description = "Transactional: recipients per message" };
        var dailyQuota = new Option<int?>("--daily-quota") { Description = "Transactional: messages per UTC day" };
        var onAnomaly = new Option<string?>("--on-anomaly")
        {
            Description = "What an anomaly alert about the token does: alert (only), or suspend it until 'keywarden token resume' (default: the server's)",
        };
        onAnomaly.AcceptOnlyFromAmong(AnomalyWords);
        var json = CliGlobals.JsonOption();
        var field = JsonOutput.FieldOption(IssuedFields);
        var command = new Command("issue", "Issue a token; it is printed once and never again")
        {
            upstream, name, readOnly, paths, methods, cidrs, origins, expires, neverExpires, notBefore, rate, fromDomains, maxRecipients, dailyQuota, onAnomaly,
            json, field,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var now = context.Time.GetUtcNow();
            if (result.GetValue(neverExpires) && result.GetValue(expires) is not null)
            {
                throw new CliException("--expires and --no-expiry contradict each other");
            }

            var policy = new TokenPolicy
            {
                ReadOnly = result.GetValue(readOnly),
                Paths = result.GetValue(paths) ?? [],
                Methods = result.GetValue(methods) ?? [],
                Cidrs = result.GetValue(cidrs) ?? [],
                Origins = result.GetValue(origins) ?? [],
                ExpiresAt = result.GetValue(neverExpires) ? null : TimeSpec.ParseInstant(result.GetValue(expires) ?? "90d", "--expires", now),
                NotBefore = result.GetValue(notBefore) is { } nb ? TimeSpec.ParseInstant(nb, "--not-before", now) : null,
                Rate = result.GetValue(rate) is { } r ? ParseRate(r) : null,
                FromDomains = result.GetValue(fromDomains) ?? [],
                MaxRecipients = result.GetValue(maxRecipients),
                DailyQuota = result.GetValue(dailyQuota),
            };

            if (AdminClient.ForCommand(context) is { } remote)
            {
                using (remote)
                {
                    var request = new IssueTokenRequest(
                        result.GetValue(upstream)!, result.GetValue(name)!, policy.ReadOnly, policy.Paths, policy.Methods, policy.Cidrs, policy.Origins,
                        policy.ExpiresAt, result.GetValue(neverExpires), policy.NotBefore, policy.Rate, policy.FromDomains, policy.MaxRecipients,
                        policy.DailyQuota, result.GetValue(onAnomaly));
                    var answer = await remote.PostAsync("v1/tokens", request, cancellationToken);
                    await PrintIssuedRemotelyAsync(context, answer, result.GetValue(json), result.GetValue(field));
                    return ExitCodes.Ok;
                }
            }

            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var response = result.GetValue(onAnomaly) is { } word ? ParseAnomaly(word) : (AnomalyResponse?)null;
            var issued = await vault.Tokens.IssueAsync(result.GetValue(upstream)!, result.GetValue(name)!, policy, response, cancellationToken);
            await PrintIssuedAsync(context, issued, result.GetValue(json), previous: null, result.GetValue(field));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Decoy(CliGlobals globals)
    {
        var upstream = new Option<string>("--upstream") { Description = "The upstream the decoy pretends to be for", Required = true };
        var name = new Option<string>("--name") { Description = "Where it is planted, for whoever reads the alert, e.g. 'ci variables of billing'", Required = true };
        var json = CliGlobals.JsonOption();
        var field = JsonOutput.FieldOption(IssuedFields);
        var command = new Command(
            "decoy",
            "Issue a decoy token to plant where an attacker looks: it looks like any token, never reaches Mailchimp, and its use is audited as 'decoy'")
        {
            upstream, name, json, field,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var issued = await vault.Tokens.IssueDecoyAsync(result.GetValue(upstream)!, result.GetValue(name)!, cancellationToken);
            await PrintIssuedAsync(globals.Context, issued, result.GetValue(json), previous: null, result.GetValue(field));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Suspend(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The token to hold (tok_…), from 'keywarden token list'" };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit log and 'token show', e.g. 'investigating alert al_…'", Required = true };
        var json = CliGlobals.JsonOption();
        var command = new Command("suspend", "Hold a token: the gateway refuses it from its next reload until 'keywarden token resume'") { id, reason, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var change = await vault.Tokens.SuspendAsync(result.GetValue(id)!, result.GetValue(reason)!, cancellationToken: cancellationToken);
            var token = change.Token.Record;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, TokenDocuments.Suspended(change));
            }
            else if (change.Changed)
            {
                await context.Out.WriteLineAsync($"Suspended {token.Id}: the gateway refuses it from its next reload. Resume it with: keywarden token resume {token.Id}");
            }
            else
            {
                await context.Out.WriteLineAsync($"{token.Id} was already suspended, since {Instant(token.Suspension?.At)} ({token.Suspension?.Reason}); nothing changed.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Resume(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The suspended token (tok_…), from 'keywarden token list'" };
        var json = CliGlobals.JsonOption();
        var command = new Command("resume", "Lift a token's suspension: the gateway serves it again from its next reload") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var change = await vault.Tokens.ResumeAsync(result.GetValue(id)!, cancellationToken: cancellationToken);
            var token = change.Token.Record;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, TokenDocuments.Resumed(change));
            }
            else
            {
                await context.Out.WriteLineAsync(change.Changed
                    ? $"Resumed {token.Id}: the gateway serves it again from its next reload (it is {change.Token.State})."
                    : $"{token.Id} is not suspended (it is {change.Token.State}); nothing changed.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command OnAnomaly(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The token (tok_…), from 'keywarden token list'" };
        var response = new Argument<string>("response") { Description = "alert (only), suspend (the token, until 'keywarden token resume'), or default (the server's --on-anomaly)" };
        response.AcceptOnlyFromAmong("alert", "suspend", "default");
        var json = CliGlobals.JsonOption();
        var command = new Command("on-anomaly", "Set what a warning or critical anomaly alert about a token does") { id, response, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var word = result.GetValue(response)!;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var change = await vault.Tokens.SetOnAnomalyAsync(result.GetValue(id)!, word == "default" ? null : ParseAnomaly(word), cancellationToken);
            var token = change.Token.Record;
            var now = token.OnAnomaly is { } set ? AnomalyWord(set) : null;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { id = token.Id, changed = change.Changed, on_anomaly = now });
            }
            else
            {
                var said = now ?? "the server's default (serve --on-anomaly)";
                await context.Out.WriteLineAsync(change.Changed
                    ? $"An anomaly alert about {token.Id} now does: {said}."
                    : $"An anomaly alert about {token.Id} already does: {said}; nothing changed.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The token (tok_…), from 'keywarden token list'" };
        var json = CliGlobals.JsonOption();
        var command = new Command("show", "Show one token: its state, policy, and whether it is a decoy or suspended (never its secret)") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var view = await vault.Tokens.FindAsync(result.GetValue(id)!, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, TokenDocuments.Listed(view));
                return ExitCodes.Ok;
            }

            var t = view.Record;
            var lines = new List<(string, string)>
            {
                ("id", t.Id),
                ("name", t.Name),
                ("upstream", view.UpstreamName),
                ("state", view.State),
                ("created", Instant(t.CreatedAt)),
            };
            if (t.Decoy)
            {
                lines.Add(("decoy", "yes: planted to be found; any use is refused as a revoked token and audited as 'decoy'"));
            }
            else
            {
                lines.Add(("expires", Instant(t.Policy.ExpiresAt)));
                lines.Add(("policy", Summarise(t.Policy, withExpiry: false)));
                lines.Add(("on anomaly", OnAnomalyText(t.OnAnomaly)));
            }

            if (t.Suspension is { } suspension)
            {
                lines.Add(("suspended", $"since {Instant(suspension.At)}: {suspension.Reason}"));
            }

            if (t.RevokedAt is not null)
            {
                lines.Add(("revoked", Instant(t.RevokedAt)));
            }

            if (t.SupersededBy is not null)
            {
                lines.Add(("successor", t.SupersededBy));
            }

            foreach (var (label, value) in lines)
            {
                await context.Out.WriteLineAsync($"{label + ":",-12}{value}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rotate(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The token to replace (tok_…), from 'keywarden token list'" };
        var grace = new Option<string>("--grace")
        {
            Description = "How long the old token keeps working: 30m, 24h, 7d, or 0 to revoke it at once",
            DefaultValueFactory = _ => "24h",
        };
        var json = CliGlobals.JsonOption();
        var command = new Command("rotate", "Issue a successor with the same upstream and policy; the old token works until the grace period ends")
        {
            id, grace, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var period = result.GetValue(grace)! is "0" ? TimeSpan.Zero : TimeSpec.ParseDuration(result.GetValue(grace)!, "--grace");
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var rotated = await vault.Tokens.RotateAsync(result.GetValue(id)!, period, cancellationToken);
            await PrintIssuedAsync(context, rotated.Successor, result.GetValue(json), rotated.Retired);
            if (!result.GetValue(json))
            {
                var retired = rotated.Retired;
                await context.Error.WriteLineAsync(retired.RevokedAt is not null
                    ? $"{retired.Id} is revoked."
                    : $"{retired.Id} keeps working until {Instant(retired.Policy.ExpiresAt)} (its grace period); move the application to the new token before then.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The one time a token's secret is shown: on stdout, the same for <c>issue</c> and <c>rotate</c>.</summary>
    private static async Task PrintIssuedAsync(CliContext context, IssuedToken issued, bool json, TokenRecord? previous, string? field = null)
    {
        if (json || field is not null)
        {
            var fields = TokenDocuments.Issued(issued, previous);
            if (field is not null)
            {
                JsonOutput.WriteField(context, fields, field);
                return;
            }

            JsonOutput.Write(context, fields);
            return;
        }

        if (issued.Record.Decoy)
        {
            await context.Out.WriteLineAsync($"Issued decoy {issued.Record.Id} ('{issued.Record.Name}') for upstream '{issued.UpstreamName}'.");
            await context.Out.WriteLineAsync(issued.Token.Value);
            await context.Error.WriteLineAsync(
                "Plant it where an attacker looks and nobody legitimate does (a CI variable, an .env file, a wiki page, an old config), e.g. as "
                + "MAILCHIMP_API_KEY; it is shown only once. Any use of it is refused like a revoked token, audited as 'decoy', and blocks the "
                + "client's address for a while (keywarden serve --decoy-block). 'keywarden scan' reports it as a decoy.");
            return;
        }

        await context.Out.WriteLineAsync($"Issued token {issued.Record.Id} for '{issued.Record.Name}' on upstream '{issued.UpstreamName}'.");
        await context.Out.WriteLineAsync(issued.Token.Value);
        var anomaly = issued.Record.OnAnomaly is { } onAnomaly ? $"; on anomaly: {AnomalyWord(onAnomaly)}" : "";
        await context.Error.WriteLineAsync("Store it now (e.g. in your app's secret store): it is shown only once. Policy: " + Summarise(issued.Record.Policy) + anomaly);
    }

    /// <summary>What <see cref="PrintIssuedAsync"/> prints, from the admin API's answer to <c>POST /v1/tokens</c>.</summary>
    private static async Task PrintIssuedRemotelyAsync(CliContext context, JsonObject answer, bool json, string? field)
    {
        answer.Remove("version");
        if (field is not null)
        {
            JsonOutput.WriteField(context, answer, field);
            return;
        }

        if (json)
        {
            JsonOutput.Write(context, answer);
            return;
        }

        var policy = answer["policy"].Deserialize<TokenPolicy>(JsonOutput.Options);
        await context.Out.WriteLineAsync($"Issued token {Text(answer, "id")} for '{Text(answer, "name")}' on upstream '{Text(answer, "upstream")}'.");
        await context.Out.WriteLineAsync(Text(answer, "token"));
        await context.Error.WriteLineAsync("Store it now (e.g. in your app's secret store): it is shown only once."
            + (policy is null ? "" : " Policy: " + Summarise(policy)));
    }

    /// <summary><c>token list</c> through the admin API, every page: the same <c>--json</c> document as the local mode, or a table.</summary>
    private static async Task<int> ListRemotelyAsync(CliContext context, AdminClient remote, bool json, CancellationToken cancellationToken)
    {
        var tokens = await RemoteTokenList.AllAsync(remote, cancellationToken);

        if (json)
        {
            JsonOutput.Write(context, new JsonObject { ["tokens"] = tokens });
            return ExitCodes.Ok;
        }

        if (tokens.Count == 0)
        {
            await context.Out.WriteLineAsync("No tokens yet: keywarden token issue --upstream NAME --name APP");
            return ExitCodes.Ok;
        }

        var table = new CliTable().Column("ID").Column("NAME").Column("UPSTREAM").Column("STATE").Column("EXPIRES (UTC)").Prose("POLICY");
        foreach (var t in tokens)
        {
            var policy = t!["policy"].Deserialize<TokenPolicy>(JsonOutput.Options)!;
            var state = Text(t, "state");
            var decoy = t["decoy"]?.GetValue<bool>() == true;
            table.Row(
                Text(t, "id"),
                Text(t, "name"),
                Text(t, "upstream"),
                new CliCell(state, StateStyle(state)),
                decoy ? "-" : policy.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never",
                decoy ? "decoy: refused as revoked, never forwarded" : Summarise(policy, withExpiry: false));
        }

        table.Write(context.Console);
        return ExitCodes.Ok;
    }

    private static string Text(JsonNode node, string name) => node[name]?.GetValue<string>() ?? "";

    private static Command List(CliGlobals globals)
    {
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List tokens by id (their secrets are not stored and cannot be shown)") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    return await ListRemotelyAsync(globals.Context, remote, result.GetValue(json), cancellationToken);
                }
            }

            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var tokens = await vault.Tokens.ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { tokens = tokens.Select(TokenDocuments.Listed) });
                return ExitCodes.Ok;
            }

            if (tokens.Count == 0)
            {
                await globals.Context.Out.WriteLineAsync("No tokens yet: keywarden token issue --upstream NAME --name APP");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("ID").Column("NAME").Column("UPSTREAM").Column("STATE").Column("EXPIRES (UTC)").Prose("POLICY");
            foreach (var t in tokens)
            {
                table.Row(
                    t.Record.Id,
                    t.Record.Name,
                    t.UpstreamName,
                    new CliCell(StateText(t), StateStyle(t.State)),
                    t.Record.Decoy ? "-" : t.Record.Policy.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never",
                    t.Record.Decoy
                        ? "decoy: refused as revoked, never forwarded"
                        : (t.Record.Suspension is { } suspension ? $"held: {suspension.Reason}; " : "")
                            + Summarise(t.Record.Policy, withExpiry: false)
                            + (t.Record.OnAnomaly is { } response ? $", on anomaly {AnomalyWord(response)}" : ""));
            }

            table.Write(globals.Context.Console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliGlobals globals)
    {
        var id = new Argument<string>("id")
        {
            Description = "The token's id (tok_…, from 'keywarden token list'), or - to read the token itself from stdin (a leaked token whose id you do not know)",
        };
        var json = CliGlobals.JsonOption();
        var command = new Command("revoke", "Revoke a token; the gateway refuses it from the next request on") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var revoked = result.GetValue(id)!;
            if (revoked != "-" && AdminClient.ForCommand(context) is { } remote)
            {
                using (remote)
                {
                    await remote.PostAsync($"v1/tokens/{Uri.EscapeDataString(revoked)}/revoke", null, cancellationToken);
                }
            }
            else
            {
                if (revoked == "-")
                {
                    AdminClient.RefuseRemote(context, "token revoke -"); // the admin API revokes by id only
                }

                revoked = await RevokeLocallyAsync(globals, result, revoked, cancellationToken);
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(context, TokenDocuments.Revoked(revoked));
            }
            else
            {
                await context.Out.WriteLineAsync($"Revoked {revoked}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Revokes by id, or the token read from stdin (<c>-</c>); the revoked token's id.</summary>
    private static async Task<string> RevokeLocallyAsync(CliGlobals globals, ParseResult result, string revoked, CancellationToken cancellationToken)
    {
        await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
        if (revoked != "-")
        {
            await vault.Tokens.RevokeAsync(revoked, cancellationToken);
            return revoked;
        }

        var text = await SecretInput.ReadAsync(globals.Context, null, "gateway token", cancellationToken);
        if (!GatewayToken.TryParsePresented(text, out var token))
        {
            throw new CliException("stdin does not hold a gateway token (kw_ followed by 36 letters and digits)");
        }

        return await vault.Tokens.RevokeAsync(token, cancellationToken);
    }

    private static string? StateStyle(string state) => state switch
    {
        "active" => "green",
        "revoked" or "expired" or "suspended" => "red",
        _ => "yellow",
    };

    /// <summary>The state as the list shows it: a rotated token's successor, a suspended token's time (its reason goes in the prose column, which is cut to fit).</summary>
    private static string StateText(TokenView t) => t.State switch
    {
        "grace" => $"grace (until expiry; successor {t.Record.SupersededBy})",
        "suspended" when t.Record.Suspension is { } suspension =>
            $"suspended since {suspension.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}",
        _ => t.State,
    };

    private static string AnomalyWord(AnomalyResponse response) => TokenDocuments.AnomalyWord(response);

    private static AnomalyResponse ParseAnomaly(string word) => word == "suspend" ? AnomalyResponse.Suspend : AnomalyResponse.Alert;

    private static string OnAnomalyText(AnomalyResponse? response) => response is { } r ? AnomalyWord(r) : "the server's default";

    private static string Instant(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture) ?? "never";

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    private static RateLimit ParseRate(string text)
    {
        try
        {
            return RateLimit.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    internal static string Summarise(TokenPolicy p, bool withExpiry = true)
    {
        var parts = new List<string> { p.ReadOnly ? "read-only" : "read-write" };
        if (p.Paths.Count > 0)
        {
            parts.Add("paths " + string.Join(' ', p.Paths));
        }

        if (p.Methods.Count > 0)
        {
            parts.Add("methods " + string.Join(' ', p.Methods));
        }

        if (p.Cidrs.Count > 0)
        {
            parts.Add("from " + string.Join(' ', p.Cidrs));
        }

        if (p.Rate is not null)
        {
            parts.Add("rate " + p.Rate);
        }

        if (p.FromDomains.Count > 0)
        {
            parts.Add("from-domain " + string.Join(' ', p.FromDomains));
        }

        if (p.MaxRecipients is not null)
        {
            parts.Add($"max {p.MaxRecipients} recipients");
        }

        if (p.DailyQuota is not null)
        {
            parts.Add($"{p.DailyQuota}/day");
        }

        if (p.NotBefore is not null)
        {
            parts.Add("not before " + p.NotBefore.Value.ToString("u", CultureInfo.InvariantCulture));
        }

        if (withExpiry)
        {
            parts.Add(p.ExpiresAt is null ? "never expires" : "expires " + p.ExpiresAt.Value.ToString("u", CultureInfo.InvariantCulture));
        }

        return string.Join(", ", parts);
    }
}
