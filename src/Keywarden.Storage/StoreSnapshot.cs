namespace Keywarden.Storage;

/// <summary>What <see cref="ISnapshotStore.ReadSnapshotAsync"/> read, all as of <paramref name="Revision"/>.</summary>
/// <param name="Revision">The revision (<see cref="IStoreChanges"/>) the snapshot was read at.</param>
/// <param name="Upstreams">Every upstream in use (removed ones left out), ordered by name, each with its current key.</param>
/// <param name="Tokens">Every token, newest first, as <see cref="ITokenStore.ListTokensAsync"/> lists them.</param>
public sealed record StoreSnapshot(long Revision, IReadOnlyList<SnapshotUpstream> Upstreams, IReadOnlyList<TokenRecord> Tokens);
