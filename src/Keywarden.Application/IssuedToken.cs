using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>A token just issued: the only moment its secret exists outside the application that holds it.</summary>
/// <param name="Token">The secret token, to show once.</param>
/// <param name="Record">What was stored: hash and policy.</param>
/// <param name="UpstreamName">The upstream it maps to.</param>
public sealed record IssuedToken(GatewayToken Token, TokenRecord Record, string UpstreamName);
