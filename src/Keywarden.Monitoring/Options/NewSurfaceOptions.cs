namespace Keywarden.Monitoring;

/// <summary>
/// The new-surface detector: a method and path family (<see cref="PathFamily"/>; a Transactional call's name) the token
/// has not used, on a request the gateway let through (a refused one did nothing; the denial-burst detector watches
/// refusals). Destructive calls (DELETE, <c>actions/delete-permanent</c>, Transactional calls that delete or cancel) are
/// critical, others warnings.
/// </summary>
public sealed record NewSurfaceOptions
{
    /// <summary>
    /// The surfaces remembered per token. Default 64 (an integration uses a handful; a broad admin tool a few dozen);
    /// when full, the one unused for longest is forgotten.
    /// </summary>
    public int MaxSurfaces { get; init; } = 64;

    internal void Validate()
    {
        if (MaxSurfaces is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSurfaces), MaxSurfaces, "between 1 and 1024");
        }
    }
}
