namespace Keywarden.Gateway.Tokens;

/// <summary>
/// A token that exists but cannot be used: revoked, a decoy, suspended, or its upstream removed or without a usable key.
/// The gateway answers it as an unknown key (as Mailchimp answers a revoked key; a suspended one as forbidden, saying so),
/// but its audit record names it, so whoever still presents it (a forgotten deployment, or a thief) can be found.
/// </summary>
/// <param name="TokenId">The token's accessor id.</param>
/// <param name="UpstreamId">The upstream it was issued for.</param>
/// <param name="Rule">
/// The audit rule of an attempt with it: <c>token-revoked</c>, <c>decoy</c>, <c>token-held</c> (suspended) or
/// <c>token-suspended</c> (its upstream cannot be served).
/// </param>
internal sealed record RetiredToken(string TokenId, string UpstreamId, string Rule);
