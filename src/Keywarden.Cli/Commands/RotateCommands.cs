using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
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
            await using var session = await OpenAsync(globals, result, cancellationToken);
            var started = await session.Service.StartAsync(
                result.GetValue(upstream)!, RotationMachine.ParseReason(result.GetValue(reason)!)!.Value, result.GetValue(note), cancellationToken);
            var output = globals.Context.Out;
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new
                {
                    upstream = started.Upstream.Name,
                    rotation = started.Rotation.Id,
                    state = RotationMachine.Describe(started.Rotation.State),
                    already_open = started.AlreadyOpen,
                    keys_page = started.KeysPage,
                    suggested_key_name = started.SuggestedKeyName,
                    steps = started.Steps,
                });
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync(started.AlreadyOpen
                ? $"Rotation {started.Rotation.Id} of '{started.Upstream.Name}' is already open and waiting for its new key:"
                : $"Rotation {started.Rotation.Id} of '{started.Upstream.Name}' opened ({RotationMachine.Describe(started.Rotation.Reason)}). Steps:");
            for (var i = 0; i < started.Steps.Count; i++)
            {
                await output.WriteLineAsync($"  {i + 1}. {started.Steps[i]}");
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
            var factory = globals.Vaults(result);
            factory.Data.EnsureInitialized();
            var keyText = await SecretInput.ReadAsync(globals.Context, result.GetValue(keyFile), "new API key", cancellationToken);
            await using var session = await OpenAsync(globals, result, cancellationToken);
            var rotation = await session.Service.SubmitAsync(name, keyText, cancellationToken);
            var status = (await session.Service.StatusAsync(name, cancellationToken))[0];
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, ToJson(status));
                return ExitCodes.Ok;
            }

            await globals.Context.Out.WriteLineAsync(
                $"New key {Describe(status)} verified and live: the gateway uses it now and every sink has it.");
            await globals.Context.Out.WriteLineAsync($"Next: {status.NextStep}");
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
            await using var session = await OpenAsync(globals, result, cancellationToken);
            var statuses = await session.Service.StatusAsync(result.GetValue(upstream), cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { upstreams = statuses.Select(ToJson) });
                return ExitCodes.Ok;
            }

            if (statuses.Count == 0)
            {
                await globals.Context.Out.WriteLineAsync("No upstreams yet: keywarden upstream add NAME --kind marketing < key.txt");
            }

            foreach (var status in statuses)
            {
                await globals.Context.Out.WriteLineAsync(
                    $"{status.Upstream.Name}: key {Describe(status)}, {status.Age?.Describe() ?? "no current key"}");
                if (status.Rotation is { } rotation)
                {
                    var open = RotationMachine.IsTerminal(rotation.State) ? "last rotation" : "rotation";
                    await globals.Context.Out.WriteLineAsync(
                        $"  {open} {rotation.Id} ({RotationMachine.Describe(rotation.Reason)}{(rotation.Note is null ? "" : ": " + rotation.Note)}): "
                        + $"{Words(rotation.State)} {(RotationMachine.IsTerminal(rotation.State) ? "at" : "since")} {rotation.UpdatedAt.ToString("u", CultureInfo.InvariantCulture)}");
                    if (rotation.Problem is { } problem)
                    {
                        await globals.Context.Out.WriteLineAsync($"  problem: {problem}");
                    }
                }

                if (status.NextStep.Length > 0)
                {
                    await globals.Context.Out.WriteLineAsync($"  next: {status.NextStep}");
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
            var waitFor = result.GetValue(wait) ? TimeSpec.ParseDuration(result.GetValue(timeout)!, "--timeout") : TimeSpan.Zero;
            var every = TimeSpec.ParseDuration(result.GetValue(interval)!, "--interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
            await using var session = await OpenAsync(globals, result, cancellationToken);
            var name = result.GetValue(upstream)!;
            var check = await session.Service.ConfirmAsync(name, waitFor, every, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new
                {
                    upstream = name,
                    rotation = check.Rotation.Id,
                    state = RotationMachine.Describe(check.Rotation.State),
                    old_key_status = check.OldKey,
                    detail = check.Detail,
                });
            }

            switch (check.OldKey)
            {
                case KeyVerificationStatus.Invalid:
                    if (!result.GetValue(json))
                    {
                        await globals.Context.Out.WriteLineAsync(
                            $"The upstream refuses the old key ({check.Detail}): rotation {check.Rotation.Id} of '{name}' is complete and the old key is deleted.");
                    }

                    return ExitCodes.Ok;
                case KeyVerificationStatus.Valid:
                    var next = (await session.Service.StatusAsync(name, cancellationToken))[0].NextStep;
                    if (!result.GetValue(json))
                    {
                        await globals.Context.Out.WriteLineAsync($"Not revoked yet: the upstream still accepts the old key. Next: {next}");
                    }

                    return ExitCodes.Findings;
                default:
                    await globals.Context.Error.WriteLineAsync($"error: could not check the old key: {check.Detail}; the rotation stays awaiting revocation");
                    return ExitCodes.Error;
            }
        });
        return command;
    }

    private static Command Abort(CliGlobals globals)
    {
        var upstream = UpstreamArgument();
        var json = CliGlobals.JsonOption();
        var command = new Command("abort", "Abandon a rotation before its new key is live (the pending key is deleted)") { upstream, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await OpenAsync(globals, result, cancellationToken);
            var rotation = await session.Service.AbortAsync(result.GetValue(upstream)!, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { upstream = result.GetValue(upstream), rotation = rotation.Id, state = RotationMachine.Describe(rotation.State) });
                return ExitCodes.Ok;
            }

            await globals.Context.Out.WriteLineAsync(
                $"Rotation {rotation.Id} aborted; the current key stays in use. If you created a key in Mailchimp for it, revoke that key there.");
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
            await using var session = await OpenAsync(globals, result, cancellationToken);
            var name = result.GetValue(upstream)!;
            var rotation = await session.Service.ResumeAsync(name, cancellationToken);
            var status = (await session.Service.StatusAsync(name, cancellationToken))[0];
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, ToJson(status));
                return ExitCodes.Ok;
            }

            await globals.Context.Out.WriteLineAsync($"Rotation {rotation.Id} of '{name}' is {Words(rotation.State)}. Next: {status.NextStep}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A state in a sentence: "awaiting revocation", "complete (old key revoked)"; JSON keeps the state's name.</summary>
    private static string Words(RotationState state) => state switch
    {
        RotationState.Revoked => "complete (old key revoked)",
        _ => RotationMachine.Describe(state).Replace('-', ' '),
    };

    private static string Describe(RotationStatus status) =>
        status.CurrentKey is null ? "(none)" : KeyDisplay.Describe(status.CurrentKey.Prefix, status.CurrentKey.Label);

    private static object ToJson(RotationStatus status) => new
    {
        upstream = status.Upstream.Name,
        kind = MailchimpApis.Catalog.Get(status.Upstream.Kind).Name,
        key_prefix = status.CurrentKey?.Prefix,
        key_name = status.CurrentKey?.Label,
        key_created_at = status.CurrentKey?.CreatedAt,
        key_age_days = status.Age is null ? (double?)null : Math.Round(status.Age.Age.TotalDays, 2),
        max_key_age_days = status.Upstream.MaxKeyAge.TotalDays,
        key_age_status = status.Age?.Status switch
        {
            KeyAgeStatus.Overdue => "overdue",
            KeyAgeStatus.DueSoon => "due_soon",
            KeyAgeStatus.Ok => "ok",
            _ => null,
        },
        rotation = status.Rotation is not { } rotation ? null : new
        {
            id = rotation.Id,
            state = RotationMachine.Describe(rotation.State),
            open = !RotationMachine.IsTerminal(rotation.State),
            reason = RotationMachine.Describe(rotation.Reason),
            note = rotation.Note,
            problem = rotation.Problem,
            created_at = rotation.CreatedAt,
            updated_at = rotation.UpdatedAt,
            history = status.History.Select(t => new
            {
                from = t.From is { } from ? RotationMachine.Describe(from) : null,
                to = RotationMachine.Describe(t.To),
                actor = t.Actor,
                why = t.Why,
                at = t.At,
            }),
        },
        next_step = status.NextStep,
    };

    /// <summary>An opened vault and the rotation service over it; disposing closes the vault.</summary>
    internal sealed class Session(KeywardenVault vault, RotationService service) : IAsyncDisposable
    {
        public RotationService Service => service;

        public KeywardenVault Vault => vault;

        public ValueTask DisposeAsync() => vault.DisposeAsync();
    }
}
