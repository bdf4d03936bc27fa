using Keywarden.Core.Keys;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// A place outside Keywarden that holds a raw upstream key (an application that cannot use the
/// gateway) and must receive the new key before the old one is revoked.
/// </summary>
public interface IKeySink
{
    /// <summary>What the sink writes to, for people and audit records; never holds a secret.</summary>
    string Description { get; }

    /// <summary>
    /// Delivers the new key. Either the whole delivery happens (a file atomically replaced, a command
    /// that exited 0) or nothing changes and a <see cref="SinkException"/> says why.
    /// </summary>
    Task DeliverAsync(UpstreamKey newKey, CancellationToken cancellationToken = default);

    /// <summary>Checks, changing nothing, that the sink could take a key now (its file exists and can be rewritten, its program can be started).</summary>
    /// <exception cref="SinkException">It could not; the message says why and what to do.</exception>
    void Check()
    {
    }
}
