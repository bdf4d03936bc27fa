using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Keywarden.Cli.Configuration;

/// <summary>
/// A command's action behind <see cref="ConfigurationLayer"/>: finds each option the command line left unset in the
/// environment, then in the config file, parses the command line again with those values added as the tokens the
/// operator would have typed, and runs the command's own action on that result.
/// </summary>
internal sealed class ConfiguredAction : AsynchronousCommandLineAction
{
    private readonly Command _command;
    private readonly Option<string?> _config;
    private readonly CommandLineAction _inner;
    private readonly CliContext _context;

    public ConfiguredAction(Command command, Option<string?> config, CommandLineAction inner, CliContext context)
    {
        _command = command;
        _config = config;
        _inner = inner;
        _context = context;
    }

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var settings = Settings(parseResult);
        if (settings.Count == 0)
        {
            return await InvokeInnerAsync(parseResult, cancellationToken);
        }

        var layered = parseResult.RootCommandResult.Command.Parse(
            [.. parseResult.Tokens.Select(t => t.Value), .. settings.SelectMany(s => s.Tokens)], parseResult.Configuration);
        if (layered.Errors.Count > 0)
        {
            foreach (var error in layered.Errors)
            {
                var source = error.SymbolResult is OptionResult { Option: var option }
                    ? settings.FirstOrDefault(s => s.Option == option)?.Source
                    : null;
                await _context.Error.WriteLineAsync($"error: {(source is null ? "" : source + ": ")}{error.Message}");
            }

            return ExitCodes.Error;
        }

        return await InvokeInnerAsync(layered, cancellationToken);
    }

    /// <summary>Every option the command line left unset that the environment or else the file sets.</summary>
    private List<ConfigSetting> Settings(ParseResult parseResult)
    {
        var options = ConfigurationLayer.ConfigurableOptions(_command);
        var file = parseResult.GetValue(_config) ?? NonEmpty(_context.GetEnvironment(ConfigurationLayer.EnvironmentName(_config)));
        var fromFile = file is null ? [] : ConfigFile.Read(file, _command.Name, options);
        var settings = new List<ConfigSetting>();
        foreach (var option in options.Where(o => parseResult.GetResult(o) is null or { Implicit: true }))
        {
            var name = ConfigurationLayer.EnvironmentName(option);
            if (NonEmpty(_context.GetEnvironment(name)) is { } value)
            {
                // A list in one variable: KEYWARDEN_LISTEN="https://0.0.0.0:8443, http://127.0.0.1:8080".
                string[] values = ConfigurationLayer.IsList(option)
                    ? value.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [value];
                settings.Add(new ConfigSetting(option, values, name));
            }
            else if (fromFile.FirstOrDefault(s => s.Option == option) is { } setting)
            {
                settings.Add(setting);
            }
        }

        return settings;
    }

    private Task<int> InvokeInnerAsync(ParseResult parseResult, CancellationToken cancellationToken) => _inner switch
    {
        AsynchronousCommandLineAction asynchronous => asynchronous.InvokeAsync(parseResult, cancellationToken),
        SynchronousCommandLineAction synchronous => Task.FromResult(synchronous.Invoke(parseResult)),
        _ => throw new InvalidOperationException($"'{_command.Name}' has an action of an unknown kind"),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
