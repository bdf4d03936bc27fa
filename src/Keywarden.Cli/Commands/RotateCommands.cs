using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Core.Rotation;
using Keywarden.Mailchimp;
using Keywarden.Rotation;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden rotate start|submit|status|confirm|abort|resume</c>: the key rotation runbook.</summary>
internal static class RotateCommands
{
    /// <summary>Test-only: the process kills itself (SIGKILL) right after persisting the step into this state, e.g. <c>promoted</c>.</summary>
    public const string CrashAtVariable = "KEYWARDEN_TEST_CRASH_AT";

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("rotate", "Rotate an upstream's Mailchimp key: guided, verified, crash-safe, with zero failed requests");
        command.Subcommands.Add(Start(globals));
        command.Subcommands.Add(Submit(globals));
        command.Subcommands.Add(Status(globals));
        command.Subcommands.Add(Confirm(globals));
        command.Subcommands.Add(Abort(globals));
        command.Subcommands.Add(Resume(globals));
        return command;
    }

    /// <summary>An opened vault and the rotation service over it, acting as <paramref name="actor"/> (default: the OS user).</summary>
    public static async Task<Session> OpenAsync(CliGlobals globals, ParseResult result, CancellationToken cancellationToken, string? actor = null)
    {
        var context = globals.Context;
        var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
        var crashAt = context.GetEnvironment(CrashAtVariable);
        var service = new RotationService(
            vault,
            VaultFactory.Verifier,
            context.Sinks,
            context.Time,
            actor ?? Environment.UserName,
            crashAt is null ? null : state =>
            {
                if (RotationMachine.Describe(state) == crashAt)
                {
                    using var self = Process.GetCurrentProcess();
                    self.Kill();
                }
            });
        return new Session(vault, service);
    }

    private static Argument<string> UpstreamArgument() => new("upstream") { Description = "The upstream whose key to rotate" };

    private static Command Start(CliGlobals globals)
    {
        var upstream = UpstreamArgument();
        var reason = new Option<string>("--reason") { Description = "scheduled, leak or manual", DefaultValueFactory = _ => "manual" };
        reason.AcceptOnlyFromAmong("scheduled", "leak", "manual");
        var note = new Option<string?>("--note") { Description = "Why, for the record (e.g. where a leak was found); never a secret" };
        var json = CliGlobals.JsonOption();
        var command = new Command("start", "Open a rotation and print exactly what to do in Mailchimp") { upstream, reason, note, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(upstream)!;
            JsonObject started;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    started = await InLocalWordsAsync(name, () => remote.PostAsync(
                        $"v1/rotations/{DocumentNodes.Segment(name)}/start", new StartRotationRequest(result.GetValue(reason), result.GetValue(note)), cancellationToken));
                }
            }
            else
            {
                await using var session = await OpenAsync(globals, result, cancellationToken);
                started = DocumentNodes.Of(RotationDocuments.Started(await session.Service.StartAsync(
                    name, RotationMachine.ParseReason(result.GetValue(reason)!)!.Value, result.GetValue(note), cancellationToken)));
            }

            var output = globals.Context.Out;
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, started);
                return ExitCodes.Ok;
            }

            var id = DocumentNodes.Text(started, "rotation");
            var upstreamName = DocumentNodes.Text(started, "upstream");
            await output.WriteLineAsync(DocumentNodes.Flag(started, "already_open")
                ? $"Rotation {id} of '{upstreamName}' is already open and waiting for its new key:"
                : $"Rotation {id} of '{upstreamName}' opened ({DocumentNodes.Text(started, "reason")}). Steps:");
            var steps = DocumentNodes.Items(started, "steps");
            for (var i = 0; i < steps.Count; i++)
            {
                await output.WriteLineAsync($"  {i + 1}. {steps[i].GetValue<string>()}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Submit(CliGlobals globals)
    {
        var upstream = UpstreamArgument();
        var keyFile = new Option<string?>("--key-file") { Description = "Read the new key from this file instead of stdin" };
        var json = CliGlobals.JsonOption();
        var command = new Command("submit", "Give the new key (stdin or --key-file, never an argument): verified, promoted, delivered to sinks") { upstream, keyFile, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(upstream)!;
            JsonObject status;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    var remoteKey = await SecretInput.ReadAsync(globals.Context, result.GetValue(keyFile), "new API key", cancellationToken);
                    status = await InLocalWordsAsync(
                        name, () => remote.PostAsync($"v1/rotations/{DocumentNodes.Segment(name)}/submit", new SubmitRotationKeyRequest(remoteKey), cancellationToken));
                }
            }
            else
            {
                var factory = globals.Vaults(result);
                factory.Data.EnsureInitialized();
                var keyText = await SecretInput.ReadAsync(globals.Context, result.GetValue(keyFile), "new API key", cancellationToken);
                await using var session = await OpenAsync(globals, result, cancellationToken);
                await session.Service.SubmitAsync(name, keyText, cancellationToken);
                status = DocumentNodes.Of(RotationDocuments.Status((await session.Service.StatusAsync(name, cancellationToken))[0], MailchimpApis.Catalog));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, status);
                return ExitCodes.Ok;
            }

            await globals.Context.Out.WriteLineAsync(
                $"New key {KeyText(status)} verified and live: the gateway uses it now and every sink has it.");
            await globals.Context.Out.WriteLineAsync($"Next: {DocumentNodes.Text(status, "next_step")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliGlobals globals)
    {
        var upstream = new Argument<string?>("upstream") { Description = "Only this upstream", Arity = ArgumentArity.ZeroOrOne };
        var json = CliGlobals.JsonOption();
        var command = new Command("status", "Key ages against their maximum, and where each rotation stands") { upstream, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(upstream);
            JsonObject document;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    document = await InLocalWordsAsync(
                        name, () => remote.GetAsync(name is null ? "v1/rotations" : $"v1/rotations?upstream={DocumentNodes.Segment(name)}", cancellationToken));
                }
            }
            else
            {
                await using var session = await OpenAsync(globals, result, cancellationToken);
                var statuses = await session.Service.StatusAsync(name, cancellationToken);
                document = DocumentNodes.Of(new { upstreams = statuses.Select(s => RotationDocuments.Status(s, MailchimpApis.Catalog)) });
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, document);
                return ExitCodes.Ok;
            }

            var output = globals.Context.Out;
            var upstreams = DocumentNodes.Items(document, "upstreams");
            if (upstreams.Count == 0)
            {
                await output.WriteLineAsync("No upstreams yet: keywarden upstream add NAME --kind marketing < key.txt");
            }

            foreach (var status in upstreams)
            {
                await output.WriteLineAsync(
                    $"{DocumentNodes.Text(status, "upstream")}: key {KeyText(status)}, {DocumentNodes.Text(status, "key_age_summary") ?? "no current key"}");
                if (status["rotation"] is JsonObject rotation)
                {
                    var open = DocumentNodes.Flag(rotation, "open");
                    var note = DocumentNodes.Text(rotation, "note");
                    var updated = DocumentNodes.Instant(rotation, "updated_at")!.Value;
                    await output.WriteLineAsync(
                        $"  {(open ? "rotation" : "last rotation")} {DocumentNodes.Text(rotation, "id")} ({DocumentNodes.Text(rotation, "reason")}{(note is null ? "" : ": " + note)}): "
                        + $"{Words(DocumentNodes.Text(rotation, "state"))} {(open ? "since" : "at")} {updated.ToString("u", CultureInfo.InvariantCulture)}");
                    if (DocumentNodes.Text(rotation, "problem") is { } problem)
                    {
                        await output.WriteLineAsync($"  problem: {problem}");
                    }
                }

                if (DocumentNodes.Text(status, "next_step") is { Length: > 0 } next)
                {
                    await output.WriteLineAsync($"  next: {next}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Confirm(CliGlobals globals)
    {
        var upstream = UpstreamArgument();
        var wait = new Option<bool>("--wait") { Description = "Keep checking until the upstream refuses the old key" };
        var timeout = new Option<string>("--timeout") { Description = "How long --wait checks", DefaultValueFactory = _ => "15m" };
        var interval = new Option<string>("--interval") { Description = "Time between checks with --wait (100ms to 1h)", DefaultValueFactory = _ => "5s" };
        var json = CliGlobals.JsonOption();
        var command = new Command("confirm", "Check that the old key is revoked (the upstream must refuse it), then delete it") { upstream, wait, timeout, interval, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var waitFor = result.GetValue(wait) ? TimeSpec.ParseDuration(result.GetValue(timeout)!, "--timeout") : TimeSpan.Zero;
            var every = TimeSpec.ParseDuration(result.GetValue(interval)!, "--interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
            var name = result.GetValue(upstream)!;
            JsonObject check;
            if (AdminClient.ForCommand(context) is { } remote)
            {
                using (remote)
                {
                    check = await InLocalWordsAsync(name, () => ConfirmRemotelyAsync(context, remote, name, waitFor, every, cancellationToken));
                }
            }
            else
            {
                await using var session = await OpenAsync(globals, result, cancellationToken);
                var checkedKey = await session.Service.ConfirmAsync(name, waitFor, every, cancellationToken);
                var next = checkedKey.OldKey == KeyVerificationStatus.Valid ? (await session.Service.StatusAsync(name, cancellationToken))[0].NextStep : null;
                check = DocumentNodes.Of(RotationDocuments.Confirmed(name, checkedKey, next));
            }

            var asJson = result.GetValue(json);
            if (asJson)
            {
                JsonOutput.Write(context, check);
            }

            var detail = DocumentNodes.Text(check, "detail");
            switch (DocumentNodes.Text(check, "old_key_status"))
            {
                case "invalid":
                    if (!asJson)
                    {
                        await context.Out.WriteLineAsync(
                            $"The upstream refuses the old key ({detail}): rotation {DocumentNodes.Text(check, "rotation")} of '{name}' is complete and the old key is deleted.");
                    }

                    return ExitCodes.Ok;
                case "valid":
                    if (!asJson)
                    {
                        await context.Out.WriteLineAsync($"Not revoked yet: the upstream still accepts the old key. Next: {DocumentNodes.Text(check, "next_step")}");
                    }

                    return ExitCodes.Findings;
                default:
                    await context.Error.WriteLineAsync($"error: could not check the old key: {detail}; the rotation stays awaiting revocation");
                    return ExitCodes.Error;
            }
        });
        return command;
    }

    /// <summary>
    /// <c>rotate confirm</c> through the admin API, which checks once per request: with <c>--wait</c> this asks again every
    /// <paramref name="every"/> until the old key is refused or the wait is over, as the local mode does.
    /// </summary>
    private static async Task<JsonObject> ConfirmRemotelyAsync(
        CliContext context, AdminClient remote, string name, TimeSpan waitFor, TimeSpan every, CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetUtcNow() + waitFor;
        while (true)
        {
            var check = await remote.PostAsync($"v1/rotations/{DocumentNodes.Segment(name)}/confirm", null, cancellationToken);
            if (DocumentNodes.Text(check, "old_key_status") == "invalid" || context.Time.GetUtcNow() + every > deadline)
            {
                return check;
            }

            await Task.Delay(every, context.Time, cancellationToken);
        }
    }

    private static Command Abort(CliGlobals globals)
    {
        var upstream = UpstreamArgument();
        var json = CliGlobals.JsonOption();
        var command = new Command("abort", "Abandon a rotation before its new key is live (the pending key is deleted)") { upstream, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(upstream)!;
            JsonObject aborted;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    aborted = await InLocalWordsAsync(name, () => remote.PostAsync($"v1/rotations/{DocumentNodes.Segment(name)}/abort", null, cancellationToken));
                }
            }
            else
            {
                await using var session = await OpenAsync(globals, result, cancellationToken);
                aborted = DocumentNodes.Of(RotationDocuments.Aborted(name, await session.Service.AbortAsync(name, cancellationToken)));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, aborted);
                return ExitCodes.Ok;
            }

            await globals.Context.Out.WriteLineAsync(
                $"Rotation {DocumentNodes.Text(aborted, "rotation")} aborted; the current key stays in use. If you created a key in Mailchimp for it, revoke that key there.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Resume(CliGlobals globals)
    {
        var upstream = UpstreamArgument();
        var json = CliGlobals.JsonOption();
        var command = new Command("resume", "Carry an interrupted rotation forward (verification, promotion, sinks)") { upstream, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(upstream)!;
            JsonObject status;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    status = await InLocalWordsAsync(name, () => remote.PostAsync($"v1/rotations/{DocumentNodes.Segment(name)}/resume", null, cancellationToken));
                }
            }
            else
            {
                await using var session = await OpenAsync(globals, result, cancellationToken);
                await session.Service.ResumeAsync(name, cancellationToken);
                status = DocumentNodes.Of(RotationDocuments.Status((await session.Service.StatusAsync(name, cancellationToken))[0], MailchimpApis.Catalog));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, status);
                return ExitCodes.Ok;
            }

            var rotation = status["rotation"];
            await globals.Context.Out.WriteLineAsync(
                $"Rotation {DocumentNodes.Text(rotation, "id")} of '{name}' is {Words(DocumentNodes.Text(rotation, "state"))}. Next: {DocumentNodes.Text(status, "next_step")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A call to the admin API, its refusals worded as the local mode words them where that needs only the upstream's
    /// name: no such upstream, no rotation in progress (the server's words name no CLI command).
    /// </summary>
    private static async Task<JsonObject> InLocalWordsAsync(string? upstream, Func<Task<JsonObject>> call)
    {
        try
        {
            return await call();
        }
        catch (CliException e) when (upstream is not null && e.ProblemCode is "upstream_not_found" or "no_rotation_in_progress")
        {
            var code = e.ProblemCode == "upstream_not_found" ? RotationErrorCode.UpstreamNotFound : RotationErrorCode.NoRotationInProgress;
            throw new CliException(RotationWords.Say(new RotationException(code, upstream)), e) { ProblemCode = e.ProblemCode };
        }
    }

    /// <summary>A state (as documents name it) in a sentence: "awaiting revocation", "complete (old key revoked)".</summary>
    private static string Words(string? state) => state switch
    {
        "revoked" => "complete (old key revoked)",
        _ => state?.Replace('-', ' ') ?? "",
    };

    /// <summary>The current key of a status document as people name it, or "(none)".</summary>
    private static string KeyText(JsonNode status) =>
        DocumentNodes.Text(status, "key_prefix") is { } prefix ? KeyDisplay.Describe(prefix, DocumentNodes.Text(status, "key_name")) : "(none)";

    /// <summary>An opened vault and the rotation service over it; disposing closes the vault.</summary>
    internal sealed class Session(KeywardenVault vault, RotationService service) : IAsyncDisposable
    {
        public RotationService Service => service;

        public KeywardenVault Vault => vault;

        public ValueTask DisposeAsync() => vault.DisposeAsync();
    }
}
