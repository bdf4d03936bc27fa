namespace Keywarden.Rotation;

/// <summary>How an upstream's current key stands against its maximum age.</summary>
public enum KeyAgeStatus
{
    /// <summary>More than <see cref="KeyAge.DueSoonWindow"/> left.</summary>
    Ok,

    /// <summary>Due within <see cref="KeyAge.DueSoonWindow"/>.</summary>
    DueSoon,

    /// <summary>Older than its maximum age.</summary>
    Overdue,
}
