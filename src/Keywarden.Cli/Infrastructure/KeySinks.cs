using Keywarden.Rotation.Sinks;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// The one place the CLI gets its sinks from (<see cref="CliContext.Sinks"/> defaults to it):
/// <c>env:</c>, <c>json:</c>, <c>yaml:</c> and <c>exec:</c> specs (src/Keywarden.Rotation/Sinks/README.md).
/// </summary>
internal static class KeySinks
{
    public static IKeySinkFactory Default { get; } = new KeySinkFactory();
}
