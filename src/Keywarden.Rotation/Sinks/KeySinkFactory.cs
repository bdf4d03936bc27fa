namespace Keywarden.Rotation.Sinks;

/// <summary>Creates the sink a specification describes: dotenv, JSON and YAML files, or a command.</summary>
public sealed class KeySinkFactory : IKeySinkFactory
{
    /// <summary>How long a command sink may run before it is killed, unless told otherwise: 60 seconds.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(60);

    private readonly TimeSpan _commandTimeout;

    /// <summary>Creates the factory.</summary>
    /// <param name="commandTimeout">How long a command sink may run (default <see cref="DefaultCommandTimeout"/>).</param>
    public KeySinkFactory(TimeSpan? commandTimeout = null)
    {
        _commandTimeout = commandTimeout ?? DefaultCommandTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_commandTimeout, TimeSpan.Zero, nameof(commandTimeout));
    }

    /// <inheritdoc />
    public IKeySink Create(string spec)
    {
        var parsed = KeySinkSpec.Parse(spec);
        return parsed.Kind switch
        {
            KeySinkKind.EnvFile => new EnvFileSink(parsed),
            KeySinkKind.JsonFile => new JsonFileSink(parsed),
            KeySinkKind.YamlFile => new YamlFileSink(parsed),
            _ => new CommandSink(parsed, _commandTimeout),
        };
    }
}
