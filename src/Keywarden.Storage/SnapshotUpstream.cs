namespace Keywarden.Storage;

/// <summary>An upstream of a <see cref="StoreSnapshot"/> with its current key, sealed; null only if it has none.</summary>
public sealed record SnapshotUpstream(UpstreamRecord Upstream, UpstreamKeyRecord? CurrentKey);
