using System.Collections;
using Keywarden.Cli.Infrastructure;
using Keywarden.Rotation.Sinks;
using Spectre.Console;

namespace Keywarden.Cli;

/// <summary>Everything a command touches outside itself, so tests can run the CLI in-process.</summary>
internal sealed class CliContext
{
    /// <summary>Redirected output has no width: wide enough that nothing is cut or wrapped.</summary>
    private const int RedirectedWidth = 4096;

    public required TextReader In { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>True when stdin is a pipe or file (a key may be read from it), false for a terminal.</summary>
    public required bool InputRedirected { get; init; }

    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    public required string HomeDirectory { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Builds the sinks that receive a rotated key (tests substitute their own).</summary>
    public IKeySinkFactory Sinks { get; init; } = KeySinks.Default;
    /// <summary>
    /// How to run this keywarden again (the pre-commit hook): the executable, or <c>dotnet</c> and the dll when run
    /// through <c>dotnet keywarden.dll</c>. Tests point it at the built apphost.
    /// </summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = ResolveSelfCommand();

    /// <summary>Whether <see cref="Out"/> is a terminal; detected when null (tests set it).</summary>
    public bool? Terminal { get; init; }

    /// <summary>The terminal's width in columns; detected when null (tests set it).</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>
    /// Rich output (tables) on <see cref="Out"/>: colour only on a terminal and when <c>NO_COLOR</c> is unset or empty
    /// (no-color.org); a terminal's width is respected, redirected output is as wide as its content.
    /// </summary>
    public IAnsiConsole Console => field ??= CreateConsole();

    private IAnsiConsole CreateConsole()
    {
        var terminal = Terminal ?? (ReferenceEquals(Out, System.Console.Out) && !System.Console.IsOutputRedirected);
        var colour = terminal && string.IsNullOrEmpty(GetEnvironment("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = colour ? (Terminal is null ? AnsiSupport.Detect : AnsiSupport.Yes) : AnsiSupport.No,
            ColorSystem = colour ? (Terminal is null ? ColorSystemSupport.Detect : ColorSystemSupport.Standard) : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }
        else if (TerminalWidth is { } width)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    private static string[] ResolveSelfCommand()
    {
        var process = System.Environment.ProcessPath;
        if (process is null)
        {
            return ["keywarden"];
        }

        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, typeof(CliContext).Assembly.Location]
            : [process];
    }

    public string? GetEnvironment(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>The admin API's address for remote mode: <c>--addr</c> when given, else <c>KEYWARDEN_ADDR</c>; null in local mode.</summary>
    public string? RemoteAddress => AddressOption is { Length: > 0 } given ? given
        : GetEnvironment(RemoteVariable) is { Length: > 0 } set ? set : null;

    /// <summary>The global <c>--addr</c>, set once the command line is parsed.</summary>
    internal string? AddressOption { get; set; }

    /// <summary>The environment variable that switches the CLI to remote mode.</summary>
    public const string RemoteVariable = "KEYWARDEN_ADDR";

    public static CliContext FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return new CliContext
        {
            In = System.Console.In,
            Out = System.Console.Out,
            Error = System.Console.Error,
            InputRedirected = System.Console.IsInputRedirected,
            Environment = variables,
            HomeDirectory = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
        };
    }
}
