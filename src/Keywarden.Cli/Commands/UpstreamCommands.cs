using System.CommandLine;
using System.Globalization;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Mailchimp;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden upstream add|list|verify|remove</c>.</summary>
internal static class UpstreamCommands
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("upstream", "Real Mailchimp keys, stored encrypted: add, list, verify, remove");
        command.Subcommands.Add(Add(globals));
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Verify(globals));
        command.Subcommands.Add(Remove(globals));
        command.Subcommands.Add(MaxAge(globals));
        return command;
    }

    private static Command Add(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "A name for this upstream, e.g. newsletter" };
        var kind = new Option<string>("--kind") { Description = "The key's API: " + string.Join(" or ", MailchimpApis.Catalog.Names), Required = true };
        kind.AcceptOnlyFromAmong([.. MailchimpApis.Catalog.Names]);
        var keyFile = new Option<string?>("--key-file") { Description = "Read the key from this file instead of stdin" };
        var keyName = new Option<string?>("--key-name") { Description = "The name the key was given in Mailchimp's API keys page" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Send API calls to this address instead of Mailchimp (e.g. the sandbox)" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Store the key without checking it against the upstream" };
        var maxAge = new Option<string>("--max-age") { Description = "Rotation is due when the key is older than this (whole days: 30d, 12w, 1y)", DefaultValueFactory = _ => "90d" };
        var json = CliGlobals.JsonOption();
        var command = new Command("add", "Store a key (read from stdin or --key-file, never from arguments) after verifying it")
        {
            name, kind, keyFile, keyName, baseUrl, noVerify, maxAge, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var upstreamKind = MailchimpApis.Catalog.TryGet(result.GetValue(kind)!, out var api) ? api.Kind : throw new CliException($"unknown --kind '{result.GetValue(kind)}'");
            var age = TimeSpec.ParseKeyAge(result.GetValue(maxAge)!, "--max-age");
            var address = ParseBaseUrl(result.GetValue(baseUrl));
            var factory = globals.Vaults(result);
            factory.Data.EnsureInitialized();
            var keyText = await SecretInput.ReadAsync(context, result.GetValue(keyFile), "API key", cancellationToken);

            await using var vault = await factory.OpenAsync(cancellationToken);
            var (view, verification) = await vault.Upstreams.AddAsync(
                new AddUpstreamRequest(result.GetValue(name)!, upstreamKind, keyText, result.GetValue(keyName), address, !result.GetValue(noVerify), age),
                cancellationToken);

            if (result.GetValue(json))
            {
                JsonOutput.Write(context, UpstreamDocuments.Upstream(view, MailchimpApis.Catalog));
            }
            else
            {
                var proof = verification is null ? "not verified (--no-verify)" : $"verified, account {verification.AccountId}";
                await context.Out.WriteLineAsync($"Stored upstream '{view.Upstream.Name}' ({Describe(view.Upstream.Kind)}, key {view.KeyDescription}): {proof}.");
                await context.Out.WriteLineAsync($"Next: keywarden token issue --upstream {view.Upstream.Name} --name APP");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliGlobals globals)
    {
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List upstreams (a key shows only as its first four characters and its Mailchimp name)") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var upstreams = await vault.Upstreams.ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { upstreams = upstreams.Select(u => UpstreamDocuments.Upstream(u, MailchimpApis.Catalog)) });
                return ExitCodes.Ok;
            }

            if (upstreams.Count == 0)
            {
                await globals.Context.Out.WriteLineAsync("No upstreams yet: keywarden upstream add NAME --kind marketing < key.txt");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("NAME").Column("KIND").Column("DC").Prose("KEY").Column("ACCOUNT").Column("VERIFIED (UTC)").Column("TOKENS").Prose("ADDRESS");
            foreach (var u in upstreams)
            {
                table.Row(
                    u.Upstream.Name,
                    Describe(u.Upstream.Kind),
                    u.Upstream.Datacenter ?? "-",
                    u.KeyDescription,
                    u.Upstream.AccountId ?? "-",
                    u.CurrentKey?.VerifiedAt is { } verified ? new CliCell(verified.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : new CliCell("never", "yellow"),
                    u.ActiveTokens.ToString(CultureInfo.InvariantCulture),
                    u.Upstream.BaseUrl?.ToString() ?? "mailchimp");
            }

            table.Write(globals.Context.Console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The upstream to verify" };
        var json = CliGlobals.JsonOption();
        var command = new Command("verify", "Check the stored key against the upstream (exit 1 when it is refused)") { name, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var (view, verification) = await vault.Upstreams.VerifyAsync(result.GetValue(name)!, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new
                {
                    upstream = view.Upstream.Name,
                    key_prefix = view.CurrentKey?.Prefix,
                    key_name = view.CurrentKey?.Label,
                    status = verification.Status,
                    account_id = verification.AccountId,
                    detail = verification.Detail,
                });
            }
            else
            {
                var line = verification.Status switch
                {
                    KeyVerificationStatus.Valid => $"'{view.Upstream.Name}': key {view.KeyDescription} works (account {verification.AccountId}).",
                    KeyVerificationStatus.Invalid => $"'{view.Upstream.Name}': key {view.KeyDescription} is REFUSED by the upstream ({verification.Detail}): rotate it.",
                    _ => $"'{view.Upstream.Name}': could not verify: {verification.Detail}",
                };
                await globals.Context.Out.WriteLineAsync(line);
            }

            return verification.Status switch
            {
                KeyVerificationStatus.Valid => ExitCodes.Ok,
                KeyVerificationStatus.Invalid => ExitCodes.Findings,
                _ => ExitCodes.Error,
            };
        });
        return command;
    }

    private static Command Remove(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The upstream to remove" };
        var json = CliGlobals.JsonOption();
        var command = new Command("remove", "Delete an upstream's stored keys and revoke its tokens (the key itself stays valid at Mailchimp)") { name, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var upstream = result.GetValue(name)!;
            var revoked = await vault.Upstreams.RemoveAsync(upstream, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, UpstreamDocuments.Removed(upstream, revoked));
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"Removed upstream '{upstream}'; {revoked} token(s) revoked. The key still works at Mailchimp until you revoke it there.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command MaxAge(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The upstream" };
        var age = new Argument<string>("age") { Description = "Rotation is due when the current key is older than this (whole days: 30d, 12w, 1y; default 90d)" };
        var json = CliGlobals.JsonOption();
        var command = new Command("max-age", "Set how old the upstream's key may get before rotation is due") { name, age, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var maxAge = TimeSpec.ParseKeyAge(result.GetValue(age)!, "age");
            await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
            var upstream = result.GetValue(name)!;
            await session.Service.SetMaxKeyAgeAsync(upstream, maxAge, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { upstream, max_key_age_days = maxAge.TotalDays });
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"'{upstream}': rotation is due after {maxAge.TotalDays} days.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Uri? ParseBaseUrl(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
        {
            throw new CliException($"invalid --base-url '{text}': expected http(s)://host[:port][/path]");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static string Describe(UpstreamKind kind) => MailchimpApis.Catalog.Get(kind).Name;
}
