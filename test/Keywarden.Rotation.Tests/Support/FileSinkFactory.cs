using Keywarden.Core.Keys;
using Keywarden.Rotation.Sinks;

namespace Keywarden.Rotation.Tests.Support;

/// <summary>
/// A small real sink for tests (the real env/json/yaml/exec sinks live elsewhere): <c>file:PATH</c>
/// replaces PATH with the key atomically; <c>fail:MESSAGE</c> refuses with MESSAGE.
/// </summary>
internal sealed class FileSinkFactory : IKeySinkFactory
{
    public IKeySink Create(string spec) => spec switch
    {
        _ when spec.StartsWith("file:", StringComparison.Ordinal) => new FileSink(spec["file:".Length..]),
        _ when spec.StartsWith("fail:", StringComparison.Ordinal) => new FailingSink(spec["fail:".Length..]),
        _ => throw new SinkException($"sink kind not available: {spec}"),
    };

    private sealed class FileSink(string path) : IKeySink
    {
        public string Description => "file " + path;

        public async Task DeliverAsync(UpstreamKey newKey, CancellationToken cancellationToken = default)
        {
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, newKey.Value, cancellationToken);
            File.Move(temp, path, overwrite: true);
        }
    }

    private sealed class FailingSink(string message) : IKeySink
    {
        public string Description => "failing sink";

        public Task DeliverAsync(UpstreamKey newKey, CancellationToken cancellationToken = default) => throw new SinkException(message);
    }
}
