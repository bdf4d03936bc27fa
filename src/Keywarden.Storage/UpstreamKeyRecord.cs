using Keywarden.Core.Crypto;

namespace Keywarden.Storage;

/// <summary>One real key of an upstream, sealed. Its <see cref="Id"/> is the associated data of its encryption.</summary>
/// <param name="Id">Stable id, e.g. <c>key_…</c>.</param>
/// <param name="UpstreamId">The upstream it belongs to.</param>
/// <param name="Slot">Current, pending or previous.</param>
/// <param name="Prefix">The first four characters: all of the key that may be shown.</param>
/// <param name="Label">The name the key was given in Mailchimp, to tell which row to revoke.</param>
/// <param name="Fingerprint">Hex SHA-256 of the key, to recognise it (scanner, duplicates) without decrypting.</param>
/// <param name="Secret">The key, sealed by envelope encryption.</param>
/// <param name="CreatedAt">When the key was stored.</param>
/// <param name="VerifiedAt">When the key last passed verification against the provider.</param>
public sealed record UpstreamKeyRecord(
    string Id,
    string UpstreamId,
    KeySlot Slot,
    string Prefix,
    string? Label,
    string Fingerprint,
    SealedSecret Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset? VerifiedAt);
