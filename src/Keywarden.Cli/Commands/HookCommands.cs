using System.CommandLine;
using System.Text;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.IO;
using Keywarden.Scanner;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden hook install [--force]</c> and <c>hook uninstall</c>: the Git pre-commit hook that runs
/// <c>keywarden scan --staged</c> with this very executable, so a commit that adds a key is blocked.
/// </summary>
internal static class HookCommands
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static Command Create(CliGlobals globals)
    {
        var hook = new Command("hook", "Install or remove the Git pre-commit hook that runs 'keywarden scan --staged'");
        hook.Subcommands.Add(Install(globals));
        hook.Subcommands.Add(Uninstall(globals));
        return hook;
    }

    private static Option<string> RepoOption() =>
        new("--repo") { Description = "A directory in the repository", DefaultValueFactory = _ => "." };

    private static Command Install(CliGlobals globals)
    {
        var force = new Option<bool>("--force") { Description = "Replace a pre-commit hook that is not Keywarden's (kept as pre-commit.bak)" };
        var repo = RepoOption();
        var json = CliGlobals.JsonOption();
        var command = new Command("install", "Write an executable pre-commit hook that blocks commits with a staged secret") { force, repo, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var path = await HookPathAsync(result.GetValue(repo)!, cancellationToken);
            var replaced = false;
            if (File.Exists(path) && !PreCommitHook.IsKeywardens(path))
            {
                if (!result.GetValue(force))
                {
                    throw new CliException($"{path} exists and is not Keywarden's; use --force to replace it (it is kept as pre-commit.bak)");
                }

                File.Copy(path, path + ".bak", overwrite: true);
                replaced = true;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, Encoding.UTF8.GetBytes(PreCommitHook.Script(context.SelfCommand)), Executable);
            var runs = $"{string.Join(' ', context.SelfCommand)} scan --staged";
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { hook = path, installed = true, runs, backup = replaced ? path + ".bak" : null });
            }
            else
            {
                await context.Out.WriteLineAsync($"installed {path}: commits run '{runs}'");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Uninstall(CliGlobals globals)
    {
        var repo = RepoOption();
        var json = CliGlobals.JsonOption();
        var command = new Command("uninstall", "Remove Keywarden's pre-commit hook (never another one)") { repo, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var path = await HookPathAsync(result.GetValue(repo)!, cancellationToken);
            var existed = File.Exists(path);
            if (existed && !PreCommitHook.IsKeywardens(path))
            {
                throw new CliException($"{path} is not Keywarden's hook; left alone");
            }

            if (existed)
            {
                File.Delete(path);
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { hook = path, removed = existed });
            }
            else
            {
                await context.Out.WriteLineAsync(existed ? $"removed {path}" : $"no pre-commit hook at {path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> HookPathAsync(string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await PreCommitHook.PathAsync(Path.GetFullPath(directory), cancellationToken);
        }
        catch (ScanException e)
        {
            throw new CliException(e.Message, e);
        }
    }
}
