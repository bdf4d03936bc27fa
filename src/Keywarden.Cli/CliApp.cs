using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Keywarden.Application;
using Keywarden.Cli.Commands;
using Keywarden.Cli.Configuration;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using Keywarden.Cli.Run;
using Keywarden.Core.Crypto;
using Keywarden.Rotation;
using Keywarden.Rotation.Sinks;
using Keywarden.Storage;

namespace Keywarden.Cli;

/// <summary>Builds the command tree and runs it: every failure is one line on stderr and exit code 2.</summary>
internal static class CliApp
{

    public static RootCommand Build(CliContext context)
    {
        var globals = new CliGlobals(context);
        var root = new RootCommand("Keywarden protects Mailchimp API keys: encrypted vault, narrow gateway tokens, Mailchimp sandbox.");
        root.Options.Add(globals.Data);
        root.Options.Add(globals.MasterKeyFile);
        root.Options.Add(globals.Addr);
        root.Subcommands.Add(InitCommand.Create(globals));
        root.Subcommands.Add(UpstreamCommands.Create(globals));
        root.Subcommands.Add(TokenCommands.Create(globals));
        root.Subcommands.Add(MasterCommands.Create(globals));
        root.Subcommands.Add(AuditCommands.Create(globals));
        root.Subcommands.Add(MonitorCommands.Create(globals));
        root.Subcommands.Add(RotateCommands.Create(globals));
        root.Subcommands.Add(SinkCommands.Create(globals));
        root.Subcommands.Add(NotifyCommands.Create(globals));
        root.Subcommands.Add(AlertCommands.Create(globals));
        root.Subcommands.Add(OperatorCommands.Create(globals));
        root.Subcommands.Add(LoginCommands.Login(globals));
        root.Subcommands.Add(LoginCommands.Logout(globals));
        root.Subcommands.Add(ConfigurationLayer.Attach(ServeCommand.Create(globals), context));
        root.Subcommands.Add(SandboxCommand.Create(globals));
        root.Subcommands.Add(DemoCommand.Create(globals));
        root.Subcommands.Add(RunCommand.Create(globals));
        root.Subcommands.Add(ScanCommand.Create(globals));
        root.Subcommands.Add(HookCommands.Create(globals));
        root.Subcommands.Add(CompletionCommand.Create(globals));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);

        if (SecretArgumentGuard.Check(args) is { } refusal)
        {
            await context.Error.WriteLineAsync($"error: {refusal}");
            return ExitCodes.Error;
        }

        var root = Build(context);
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (RemoteRefusal(context, parsed) is { } remoteRefusal)
        {
            // Before the command line's own mistakes: in remote mode, the first thing to know is that this command cannot go there.
            await context.Error.WriteLineAsync($"error: {remoteRefusal}");
            return ExitCodes.Error;
        }

        if (parsed.Errors.Count > 0)
        {
            return await ReportParseErrorsAsync(context, args, parsed);
        }

        try
        {
            var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
            var name = parsed.CommandResult.Command.Name;
            if (parsed.CommandResult.Parent is CommandResult { Command: RootCommand } && (name == RunCommand.Name || name == ServeCommand.Name))
            {
                // 'run' holds SIGINT and SIGTERM itself, to pass them to its command and revoke its token after; serve drains
                // on SIGTERM and Ctrl+C itself (stops accepting, lets requests in flight finish within --shutdown-timeout and
                // flushes the audit). The parser's handling would end keywarden two seconds after the first signal.
                invocation.ProcessTerminationTimeout = null;
            }

            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await context.Error.WriteLineAsync($"error: {message}");
            return ExitCodes.Error;
        }
    }

    /// <summary>
    /// Why the command may not run in remote mode (<c>--addr</c> or <c>KEYWARDEN_ADDR</c> set), or null: local mode, a
    /// command the admin API serves or one local by nature, or a request for help.
    /// </summary>
    private static string? RemoteRefusal(CliContext context, ParseResult parsed)
    {
        context.AddressOption = parsed.GetResult("--addr") is OptionResult { Implicit: false } given ? given.GetValueOrDefault<string?>() : null;
        var command = parsed.CommandResult.Command;
        return context.RemoteAddress is null || parsed.Action is HelpAction || command.Action is null || command is RootCommand
            ? null
            : RemoteCommands.Refusal(CommandPath(parsed.CommandResult)["keywarden ".Length..]);
    }

    /// <summary>
    /// A command group without its subcommand (<c>keywarden</c>, <c>keywarden token</c>) prints its usage; an unknown
    /// command or option names the nearest one; anything else is one line per error.
    /// </summary>
    private static async Task<int> ReportParseErrorsAsync(CliContext context, string[] args, ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed.CommandResult);
        if (parsed.UnmatchedTokens.Count == 0 && command.Subcommands.Count > 0 && command.Action is null)
        {
            // The command's own --help, as if asked for.
            await parsed.RootCommandResult.Command.Parse([.. args, "--help"]).InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error });
            if (command is RootCommand)
            {
                return ExitCodes.Ok; // asked for nothing: the usage is the answer
            }

            await context.Error.WriteLineAsync($"error: '{path}' needs a subcommand: {string.Join(", ", command.Subcommands.Select(c => c.Name))}");
            return ExitCodes.Error;
        }

        var explained = new HashSet<string>(StringComparer.Ordinal);
        var unknownCommand = false;
        foreach (var token in parsed.UnmatchedTokens)
        {
            var isOption = token.StartsWith('-') && token.Length > 1;
            if (!isOption && command.Subcommands.Count > 0 && unknownCommand)
            {
                // 'keywarden tokn list': once the command is unknown, what follows it is its arguments, not more mistakes.
                explained.Add(token);
                continue;
            }

            unknownCommand |= !isOption && command.Subcommands.Count > 0;
            var candidates = isOption
                ? OptionsOf(parsed.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Select(c => c.Name);
            var nearest = Suggestions.Nearest(token, candidates);
            await context.Error.WriteLineAsync(
                $"error: unknown {(isOption ? "option" : command.Subcommands.Count > 0 ? "command" : "argument")} '{token}' for '{path}'"
                + (nearest is null ? "" : $" (did you mean '{nearest}'?)"));
            explained.Add(token);
        }

        // "Required command was not provided" says nothing the unknown command's line did not.
        var missingSubcommand = explained.Count > 0 && command.Subcommands.Count > 0 && command.Action is null;
        foreach (var error in parsed.Errors.Where(e => !explained.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))
            && !(missingSubcommand && e.SymbolResult is CommandResult)))
        {
            await context.Error.WriteLineAsync($"error: {error.Message}");
        }

        await context.Error.WriteLineAsync($"see '{path} --help'");
        return ExitCodes.Error;
    }

    /// <summary><c>keywarden token issue</c>, from the innermost command result out.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is CommandResult command; current = command.Parent)
        {
            names.Insert(0, command.Command is RootCommand ? "keywarden" : command.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>The options a command takes: its own and the recursive ones of the commands around it.</summary>
    private static IEnumerable<Option> OptionsOf(CommandResult result)
    {
        var own = true;
        for (SymbolResult? current = result; current is CommandResult command; current = command.Parent)
        {
            foreach (var option in command.Command.Options.Where(o => own || o.Recursive))
            {
                yield return option;
            }

            own = false;
        }
    }

    /// <summary>The one-line explanation of a failure. Domain exceptions never carry secrets.</summary>
    private static string? Describe(Exception e) => e switch
    {
        VaultException vault => VaultWords.Say(vault),
        RotationException rotation => RotationWords.Say(rotation),
        CliException or StorageException or KeywardenCryptoException or SinkException or Gateway.GatewayException => e.Message,
        OperationCanceledException => "cancelled",
        IOException or UnauthorizedAccessException => e.Message,
        HttpRequestException => $"network error: {e.Message}",
        _ => $"unexpected {e.GetType().Name}: {e.Message}",
    };
}
