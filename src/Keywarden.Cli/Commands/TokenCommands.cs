using System.CommandLine;
using System.Globalization;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden token issue|list|revoke|rotate</c>.</summary>
internal static class TokenCommands
{
    /// <summary>The fields of <c>token issue --json</c>, which <c>--field</c> can print alone.</summary>
    internal static readonly string[] IssuedFields = ["id", "token", "name", "upstream", "created_at", "policy"];

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("token", "Gateway tokens: narrow, expiring, revocable stand-ins for the real key");
        command.Subcommands.Add(Issue(globals));
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Revoke(globals));
        command.Subcommands.Add(Rotate(globals));
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
        var json = CliGlobals.JsonOption();
        var field = JsonOutput.FieldOption(IssuedFields);
        var command = new Command("issue", "Issue a token; it is printed once and never again")
        {
            upstream, name, readOnly, paths, methods, cidrs, origins, expires, neverExpires, notBefore, rate, fromDomains, maxRecipients, dailyQuota, json, field,
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

            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var issued = await vault.Tokens.IssueAsync(result.GetValue(upstream)!, result.GetValue(name)!, policy, cancellationToken);
            await PrintIssuedAsync(context, issued, result.GetValue(json), previous: null, result.GetValue(field));
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
            // The fields of 'token issue --json', and for a rotation which token this one succeeds.
            var fields = new Dictionary<string, object?>
            {
                ["id"] = issued.Record.Id,
                ["token"] = issued.Token.Value,
                ["name"] = issued.Record.Name,
                ["upstream"] = issued.UpstreamName,
                ["created_at"] = issued.Record.CreatedAt,
                ["policy"] = issued.Record.Policy,
            };
            if (previous is not null)
            {
                fields["successor_of"] = new { id = previous.Id, expires_at = previous.Policy.ExpiresAt, revoked_at = previous.RevokedAt };
            }

            if (field is not null)
            {
                JsonOutput.WriteField(context, fields, field);
                return;
            }

            JsonOutput.Write(context, fields);
            return;
        }

        await context.Out.WriteLineAsync($"Issued token {issued.Record.Id} for '{issued.Record.Name}' on upstream '{issued.UpstreamName}'.");
        await context.Out.WriteLineAsync(issued.Token.Value);
        await context.Error.WriteLineAsync("Store it now (e.g. in your app's secret store): it is shown only once. Policy: " + Summarise(issued.Record.Policy));
    }

    private static Command List(CliGlobals globals)
    {
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List tokens by id (their secrets are not stored and cannot be shown)") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var tokens = await vault.Tokens.ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new
                {
                    tokens = tokens.Select(t => new
                    {
                        id = t.Record.Id,
                        name = t.Record.Name,
                        upstream = t.UpstreamName,
                        state = t.State,
                        created_at = t.Record.CreatedAt,
                        revoked_at = t.Record.RevokedAt,
                        superseded_by = t.Record.SupersededBy,
                        policy = t.Record.Policy,
                    }),
                });
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
                    new CliCell(t.State == "grace" ? $"grace (until expiry; successor {t.Record.SupersededBy})" : t.State, StateStyle(t.State)),
                    t.Record.Policy.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never",
                    Summarise(t.Record.Policy, withExpiry: false));
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
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var revoked = result.GetValue(id)!;
            if (revoked == "-")
            {
                var text = await SecretInput.ReadAsync(context, null, "gateway token", cancellationToken);
                if (!GatewayToken.TryParsePresented(text, out var token))
                {
                    throw new CliException("stdin does not hold a gateway token (kw_ followed by 36 letters and digits)");
                }

                revoked = await vault.Tokens.RevokeAsync(token, cancellationToken);
            }
            else
            {
                await vault.Tokens.RevokeAsync(revoked, cancellationToken);
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { id = revoked, revoked = true });
            }
            else
            {
                await context.Out.WriteLineAsync($"Revoked {revoked}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? StateStyle(string state) => state switch
    {
        "active" => "green",
        "revoked" or "expired" => "red",
        _ => "yellow",
    };

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
