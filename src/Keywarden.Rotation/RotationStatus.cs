using Keywarden.Core.Rotation;
using Keywarden.Storage;

namespace Keywarden.Rotation;

/// <summary>An upstream's key age and its open (or latest) rotation.</summary>
/// <param name="Upstream">The upstream.</param>
/// <param name="CurrentKey">Its current key's record (never shown beyond prefix and label).</param>
/// <param name="Age">The current key's age against the maximum, or null without a current key.</param>
/// <param name="Rotation">The open rotation, else the latest one, else null.</param>
/// <param name="History">The steps of <paramref name="Rotation"/>.</param>
/// <param name="NextStep">What to do next, one line; empty when nothing is due.</param>
public sealed record RotationStatus(
    UpstreamRecord Upstream,
    UpstreamKeyRecord? CurrentKey,
    KeyAge? Age,
    RotationRecord? Rotation,
    IReadOnlyList<RotationTransition> History,
    string NextStep);
