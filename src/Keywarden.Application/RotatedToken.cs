using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>The outcome of rotating a token.</summary>
/// <param name="Successor">The new token, whose secret is shown once.</param>
/// <param name="Retired">The old token as it now stands: superseded, expiring at the end of the grace period (or revoked).</param>
public sealed record RotatedToken(IssuedToken Successor, TokenRecord Retired);
