using Keywarden.Core.Keys;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Run;

/// <summary>The token issued for one <c>keywarden run</c>, with what the command's environment needs to know about its upstream.</summary>
/// <param name="Id">The public accessor id (<c>tok_…</c>): the only part ever printed.</param>
/// <param name="Name">The token's name, e.g. <c>run: node</c>.</param>
/// <param name="Token">The secret: into the command's environment and the gateway's ping, nowhere else.</param>
/// <param name="UpstreamName">The upstream it stands for.</param>
/// <param name="Kind">Marketing or Transactional: which variables the command gets.</param>
/// <param name="Datacenter">The Marketing datacenter (<c>us21</c>); null for Transactional.</param>
/// <param name="ExpiresAt">When the gateway stops taking it, revoked or not.</param>
internal sealed record RunToken(
    string Id, string Name, GatewayToken Token, string UpstreamName, UpstreamKind Kind, string? Datacenter, DateTimeOffset ExpiresAt);
