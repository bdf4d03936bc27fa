using Keywarden.Core.Keys;

namespace Keywarden.Storage.Vault;

/// <summary>An upstream a gateway can forward to, with its current key opened: a secret (its ToString shows the prefix only).</summary>
public sealed record GatewayUpstream(UpstreamRecord Upstream, string KeyId, UpstreamKey Key);
