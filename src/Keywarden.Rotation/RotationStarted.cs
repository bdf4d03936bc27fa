using Keywarden.Storage;

namespace Keywarden.Rotation;

/// <summary>A rotation waiting for a new key, with what the person must do.</summary>
/// <param name="Upstream">The upstream.</param>
/// <param name="Rotation">The rotation, in <c>AwaitingNewKey</c>.</param>
/// <param name="Steps">The numbered steps.</param>
/// <param name="KeysPage">Where keys are created and revoked.</param>
/// <param name="SuggestedKeyName">The name to give the new key.</param>
/// <param name="AlreadyOpen">True when the rotation was opened earlier (the steps are shown again).</param>
public sealed record RotationStarted(
    UpstreamRecord Upstream, RotationRecord Rotation, IReadOnlyList<string> Steps, Uri KeysPage, string SuggestedKeyName, bool AlreadyOpen);
