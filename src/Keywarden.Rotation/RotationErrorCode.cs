namespace Keywarden.Rotation;

/// <summary>
/// Why a rotation step was refused; each front end (CLI, admin API, console) says it in its own words, with its own
/// command names. <see cref="RotationException.Value"/> is the upstream's name; <see cref="RotationException.Detail"/>,
/// <see cref="RotationException.Upstream"/>, <see cref="RotationException.State"/> and <see cref="RotationException.OldKey"/>
/// carry what else the words need. None is ever a secret.
/// </summary>
public enum RotationErrorCode
{
    /// <summary>No upstream has the name in <see cref="RotationException.Value"/>.</summary>
    UpstreamNotFound,

    /// <summary>The upstream has no current key, so there is nothing to rotate.</summary>
    NoCurrentKey,

    /// <summary>A rotation is already past waiting for its new key (<see cref="RotationException.State"/>), so none is started.</summary>
    RotationInProgress,

    /// <summary>The text submitted is not a key of the upstream's kind (<see cref="RotationException.Detail"/> says why, never with the text).</summary>
    KeyMalformed,

    /// <summary>The open rotation already has its new key (<see cref="RotationException.State"/>); another one was submitted.</summary>
    NewKeyAlreadySubmitted,

    /// <summary>The key submitted is the one being replaced.</summary>
    KeyBeingReplaced,

    /// <summary>The upstream has no open rotation.</summary>
    NoRotationInProgress,

    /// <summary>Revocation was to be confirmed, but the rotation is not yet waiting for it (<see cref="RotationException.State"/>).</summary>
    NotAwaitingRevocation,

    /// <summary>The record of the key being replaced is missing from the store.</summary>
    ReplacedKeyMissing,

    /// <summary>An abort was asked after the new key went live but before every sink took it (<see cref="RotationException.Detail"/>: the sink problem, if any).</summary>
    AbortAfterPromotion,

    /// <summary>An abort was asked when only the old key's revocation is left.</summary>
    AbortAwaitingRevocation,

    /// <summary>The maximum key age given is zero or negative.</summary>
    MaxKeyAgeNotPositive,

    /// <summary>The rotation is verifying, but its pending key is missing from the store.</summary>
    PendingKeyMissing,

    /// <summary>The new key could not be verified: the upstream did not answer (<see cref="RotationException.Detail"/>); it stays staged.</summary>
    NewKeyNotVerified,

    /// <summary>The upstream refused the new key (its answer in <see cref="RotationException.Detail"/>); the pending key was deleted.</summary>
    NewKeyRefused,

    /// <summary>The new key belongs to account <see cref="RotationException.Detail"/>, not the upstream's; the pending key was deleted.</summary>
    NewKeyWrongAccount,

    /// <summary>A sink did not take the new key (<see cref="RotationException.Detail"/>: which and why); the gateway already uses it.</summary>
    SinkFailed,
}
