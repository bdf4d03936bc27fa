using Keywarden.Core.Keys;

namespace Keywarden.Testing;

/// <summary>An upstream a <see cref="KeywardenHost"/> stores on start: a new key of the sandbox's account, verified.</summary>
/// <param name="Name">The upstream's name in the vault.</param>
/// <param name="Kind">Marketing or Transactional.</param>
/// <param name="KeyName">The key's name in the sandbox (and the upstream's key label).</param>
public sealed record HostUpstream(string Name, UpstreamKind Kind, string KeyName);
