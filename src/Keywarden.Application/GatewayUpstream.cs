using Keywarden.Core.Keys;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>An upstream a gateway can forward to, with its current key opened: a secret (its ToString shows the prefix only).</summary>
public sealed record GatewayUpstream(UpstreamRecord Upstream, string KeyId, UpstreamKey Key);
