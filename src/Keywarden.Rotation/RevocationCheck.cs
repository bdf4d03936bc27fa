using Keywarden.Core.Providers;
using Keywarden.Storage;

namespace Keywarden.Rotation;

/// <summary>What the upstream said about the replaced key when asked whether it is revoked.</summary>
/// <param name="Rotation">The rotation after the check: <c>Revoked</c> when the old key is refused, else still <c>AwaitingRevocation</c>.</param>
/// <param name="OldKey">Invalid (revoked), Valid (still works) or Unreachable (unknown).</param>
/// <param name="Detail">The upstream's words, or why it could not be asked.</param>
public sealed record RevocationCheck(RotationRecord Rotation, KeyVerificationStatus OldKey, string? Detail);
