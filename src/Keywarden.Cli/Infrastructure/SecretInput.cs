using Spectre.Console;

namespace Keywarden.Cli.Infrastructure;

/// <summary>Reads a secret from a file or stdin, never from argv.</summary>
internal static class SecretInput
{
    public static async Task<string> ReadAsync(CliContext context, string? file, string what, CancellationToken cancellationToken)
    {
        string text;
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"{what} file not found: {file}");
            }

            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        else if (context.InputRedirected)
        {
            text = await context.In.ReadToEndAsync(cancellationToken);
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
            text = await console.PromptAsync(new TextPrompt<string>($"Paste the {what} (input hidden):").Secret(null), cancellationToken);
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length switch
        {
            0 => throw new CliException($"no {what} given: pipe it on stdin (... < key.txt) or use --key-file PATH"),
            1 => lines[0],
            _ => throw new CliException($"expected exactly one {what} on one line, got {lines.Length} lines"),
        };
    }
}
