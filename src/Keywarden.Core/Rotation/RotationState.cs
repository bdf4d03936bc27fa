namespace Keywarden.Core.Rotation;

/// <summary>Where a rotation of one upstream key stands. Stored as lower-case words, never as ordinals.</summary>
public enum RotationState
{
    /// <summary>Opened; nothing shown to a person yet.</summary>
    Requested,

    /// <summary>Steps shown; waiting for a person to create a key in Mailchimp and submit it.</summary>
    AwaitingNewKey,

    /// <summary>A submitted key is stored as pending and is being verified against the provider.</summary>
    Verifying,

    /// <summary>The pending key works, differs from the current one and belongs to the same account.</summary>
    Staged,

    /// <summary>The pending key became current, the old one previous; sinks are being delivered.</summary>
    Promoted,

    /// <summary>Every sink has the new key; waiting for the old key to be revoked in Mailchimp.</summary>
    AwaitingRevocation,

    /// <summary>The provider refuses the old key; its ciphertext is deleted. Terminal.</summary>
    Revoked,

    /// <summary>Given up before promotion; the pending key, if any, is deleted. Terminal.</summary>
    Aborted,
}
