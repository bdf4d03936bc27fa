using Keywarden.Rotation.Sinks;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// The one place the CLI gets its sinks from (<see cref="CliContext.Sinks"/> defaults to it). Until the
/// env/json/yaml/exec sinks are part of the build, every spec is refused with one clear line.
/// </summary>
internal static class KeySinks
{
    public static IKeySinkFactory Default { get; } = new Unavailable();

    private sealed class Unavailable : IKeySinkFactory
    {
        public IKeySink Create(string spec)
        {
            var kind = spec.Split(':', 2)[0];
            throw new SinkException($"sink kind not available: '{kind}' sinks are not part of this build of keywarden yet");
        }
    }
}
