using System.CommandLine;
using System.CommandLine.Help;

namespace Keywarden.Cli.Configuration;

/// <summary>
/// Lets every option of a command also come from an environment variable (<c>--listen</c> → <c>KEYWARDEN_LISTEN</c>)
/// and from a JSON config file (<c>--config FILE</c> or <c>KEYWARDEN_CONFIG</c>, a section named after the command,
/// keyed by option name). Precedence: command line, then environment, then file, then the option's own default.
/// </summary>
/// <remarks>
/// Applied over the command's option list, not option by option: a value from the environment or the file becomes the
/// token the operator would have typed, and goes through the option's own parser and validators, so it is refused with
/// the option's own error. An option added to the command later is configurable without a line here.
/// </remarks>
internal static class ConfigurationLayer
{
    /// <summary>The prefix of every environment variable that sets an option.</summary>
    public const string EnvironmentPrefix = "KEYWARDEN_";

    /// <summary>Adds <c>--config</c> to <paramref name="command"/> and makes its action read the environment and the file first.</summary>
    public static Command Attach(Command command, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var config = new Option<string?>("--config")
        {
            Description = $"JSON config file with a \"{command.Name}\" section keyed by option name (default: ${EnvironmentName("--config")}); "
                + $"the command line wins over {EnvironmentPrefix}* variables, which win over the file",
        };
        command.Options.Add(config);
        command.Action = new ConfiguredAction(command, config, command.Action!, context);
        return command;
    }

    /// <summary>
    /// The options that can be configured: the command's own and the recursive ones of the commands around it (<c>--data</c>),
    /// but not <c>--help</c>, <c>--version</c> or <c>--config</c> itself.
    /// </summary>
    public static IReadOnlyList<Option> ConfigurableOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new List<Option>(command.Options.Where(IsSetting));
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            options.AddRange(parent.Options.Where(o => o.Recursive && IsSetting(o)));
        }

        return options;
    }

    /// <summary><c>--max-body</c> → <c>KEYWARDEN_MAX_BODY</c>.</summary>
    public static string EnvironmentName(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return EnvironmentName(option.Name);
    }

    /// <summary><c>--max-body</c> → <c>max-body</c>: the option's key in the config file's section.</summary>
    public static string FileKey(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.Name.TrimStart('-');
    }

    /// <summary>Whether the option takes more than one value (repeatable), so a variable or key may hold a list.</summary>
    public static bool IsList(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.Arity.MaximumNumberOfValues > 1;
    }

    private static string EnvironmentName(string optionName) =>
        EnvironmentPrefix + optionName.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    /// <remarks><c>--addr</c> is the CLI's remote mode, which a server does not have: not a setting of <c>serve</c>.</remarks>
    private static bool IsSetting(Option option) =>
        option is not (HelpOption or VersionOption) && option.Name is not ("--config" or "--addr") && !option.Hidden;
}
