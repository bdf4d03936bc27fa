using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// Where a gateway gets what it serves from: a whole snapshot with the upstream keys opened, and the change feed that
/// says when to take the next one. Nothing here is read per request.
/// </summary>
public interface IGatewaySnapshotSource
{
    /// <summary>The change feed of the store the snapshots come from.</summary>
    IStoreChanges Changes { get; }

    /// <summary>
    /// Reads the store once (<see cref="ISnapshotStore.ReadSnapshotAsync"/>) and opens each upstream's current key once,
    /// however many tokens map to it.
    /// </summary>
    /// <exception cref="StorageException">The store could not be read.</exception>
    Task<GatewaySnapshot> LoadAsync(CancellationToken cancellationToken = default);
}
