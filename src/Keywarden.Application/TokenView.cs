using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>A token as listed: its accessor id, never its secret.</summary>
/// <param name="Record">The stored token.</param>
/// <param name="UpstreamName">The upstream it maps to.</param>
/// <param name="State">
/// active, revoked, suspended (<see cref="TokenRecord.Suspension"/>), expired, pending (not yet valid), grace (rotated:
/// still valid until its expiry, see <see cref="TokenRecord.SupersededBy"/>) or decoy (<see cref="TokenRecord.Decoy"/>:
/// never valid, whatever else is true of it).
/// </param>
public sealed record TokenView(TokenRecord Record, string UpstreamName, string State);
