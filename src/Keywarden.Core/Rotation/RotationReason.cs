namespace Keywarden.Core.Rotation;

/// <summary>Why a rotation was opened.</summary>
public enum RotationReason
{
    /// <summary>The key reached (or nears) its maximum age.</summary>
    Scheduled,

    /// <summary>The key was found somewhere it should not be (the scanner, a report).</summary>
    Leak,

    /// <summary>A person decided to rotate.</summary>
    Manual,
}
