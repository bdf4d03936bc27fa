using System.CommandLine;
using Keywarden.Cli.Commands;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Crypto;
using Keywarden.Rotation;
using Keywarden.Rotation.Sinks;
using Keywarden.Storage;
using Keywarden.Storage.Vault;

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
        root.Subcommands.Add(InitCommand.Create(globals));
        root.Subcommands.Add(UpstreamCommands.Create(globals));
        root.Subcommands.Add(TokenCommands.Create(globals));
        root.Subcommands.Add(MasterCommands.Create(globals));
        root.Subcommands.Add(AuditCommands.Create(globals));
        root.Subcommands.Add(RotateCommands.Create(globals));
        root.Subcommands.Add(SinkCommands.Create(globals));
        root.Subcommands.Add(ServeCommand.Create(globals));
        root.Subcommands.Add(SandboxCommand.Create(globals));
        root.Subcommands.Add(DemoCommand.Create(globals));
        root.Subcommands.Add(ScanCommand.Create(globals));
        root.Subcommands.Add(HookCommands.Create(globals));
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
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}");
            }

            await context.Error.WriteLineAsync("see 'keywarden --help'");
            return ExitCodes.Error;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await context.Error.WriteLineAsync($"error: {message}");
            return ExitCodes.Error;
        }
    }

    /// <summary>The one-line explanation of a failure. Domain exceptions never carry secrets.</summary>
    private static string? Describe(Exception e) => e switch
    {
        CliException or VaultException or StorageException or KeywardenCryptoException or RotationException or SinkException => e.Message,
        OperationCanceledException => "cancelled",
        IOException or UnauthorizedAccessException => e.Message,
        HttpRequestException => $"network error: {e.Message}",
        _ => $"unexpected {e.GetType().Name}: {e.Message}",
    };
}
