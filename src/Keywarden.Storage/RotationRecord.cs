using Keywarden.Core.Rotation;

namespace Keywarden.Storage;

/// <summary>One rotation of an upstream's key. Never holds a secret: keys are named by id.</summary>
/// <param name="Id">Stable id, e.g. <c>rot_…</c>.</param>
/// <param name="UpstreamId">The upstream whose key is rotated.</param>
/// <param name="State">Where the rotation stands.</param>
/// <param name="Reason">Why it was opened.</param>
/// <param name="Note">Free text given when it was opened (e.g. where a leak was found), or null.</param>
/// <param name="OldKeyId">The key being replaced: current when the rotation opened.</param>
/// <param name="NewKeyId">The submitted key once staged as pending, or null.</param>
/// <param name="CreatedAt">When it was opened.</param>
/// <param name="UpdatedAt">When it last moved.</param>
public sealed record RotationRecord(
    string Id,
    string UpstreamId,
    RotationState State,
    RotationReason Reason,
    string? Note,
    string OldKeyId,
    string? NewKeyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>What stops the rotation from going on, for a person (a sink that failed, and its error), or null. Cleared by the next step.</summary>
    public string? Problem { get; init; }
}
