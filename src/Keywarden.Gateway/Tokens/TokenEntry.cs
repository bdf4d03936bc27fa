using Keywarden.Core.Policy;

namespace Keywarden.Gateway.Tokens;

/// <summary>A live token as the gateway knows it: id, policy and the upstream it maps to.</summary>
/// <remarks>The policy is compiled once, pinned to the upstream's API, so evaluation on the hot path allocates nothing.</remarks>
internal sealed record TokenEntry(string TokenId, string Name, CompiledPolicy Compiled, UpstreamTarget Target)
{
    public TokenPolicy Policy => Compiled.Policy;
}
