using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Detectors;

/// <summary>The new-surface detector's memory of one token: the hashed surfaces it used, and the last request's (paths repeat).</summary>
internal sealed class NewSurfaceState(int capacity)
{
    public LruKeySet Surfaces { get; } = new(capacity);

    public string? LastPath { get; set; }

    public string? LastMethod { get; set; }

    public long LastKey { get; set; }
}
