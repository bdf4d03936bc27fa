using Keywarden.Monitoring.Detectors;

namespace Keywarden.Monitoring;

/// <summary>
/// Everything the engine remembers about one token: when it was first and last seen, and each detector's fixed-size
/// state (created by the detector on the token's first request it looks at). See the README for the sizes.
/// </summary>
internal sealed class TokenState(string id, long firstSeen)
{
    public string Id { get; } = id;

    /// <summary>Milliseconds since the Unix epoch of the token's first request seen (or the start of primed history).</summary>
    public long FirstSeen { get; } = firstSeen;

    public long LastSeen { get; set; } = firstSeen;

    public VolumeState? Volume { get; set; }

    public NewNetworkState? Networks { get; set; }

    public NewSurfaceState? Surfaces { get; set; }

    public DenialBurstState? Denials { get; set; }

    public SendingState? Sending { get; set; }

    public UpstreamErrorsState? Errors { get; set; }
}
