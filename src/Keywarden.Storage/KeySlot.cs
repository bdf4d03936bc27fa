namespace Keywarden.Storage;

/// <summary>The role of a stored key within its upstream (the rotation's CURRENT / PENDING / PREVIOUS).</summary>
public enum KeySlot
{
    /// <summary>The key the gateway uses now. Exactly one per upstream.</summary>
    Current,

    /// <summary>A new key submitted during rotation, verified but not yet promoted.</summary>
    Pending,

    /// <summary>The key a rotation replaced, kept until its revocation is confirmed.</summary>
    Previous,
}
