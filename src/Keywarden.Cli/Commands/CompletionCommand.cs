using System.CommandLine;
using Keywarden.Cli.Completion;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden completion bash|zsh|fish</c>: a completion script generated from the command tree itself.</summary>
internal static class CompletionCommand
{
    private static readonly string[] Shells = ["bash", "zsh", "fish"];

    public static Command Create(CliGlobals globals)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && !Shells.Contains(name, StringComparer.Ordinal))
            {
                result.AddError($"unknown shell '{name}': keywarden completes bash, zsh and fish");
            }
        });
        shell.CompletionSources.Add(Shells);
        var command = new Command("completion", "Print a shell completion script: source <(keywarden completion bash), or see the script's first lines") { shell };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = CompletionNode.From(result.RootCommandResult.Command);
            var script = result.GetValue(shell) switch
            {
                "bash" => BashCompletionScript.Generate(root),
                "zsh" => ZshCompletionScript.Generate(root),
                _ => FishCompletionScript.Generate(root),
            };
            await globals.Context.Out.WriteAsync(script.AsMemory(), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
