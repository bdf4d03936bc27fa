using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>One occurrence of an anomaly, as a detector reports it to <see cref="IAlertStore.RaiseAsync"/>.</summary>
/// <param name="Id">The id the alert gets if this raise opens a new one (<c>al_…</c>, made like every record id); unused when it counts into an open alert.</param>
/// <param name="Detector">The detector, e.g. <c>volume</c>.</param>
/// <param name="Severity">How bad this occurrence is.</param>
/// <param name="TokenId">The token it is about, or null for an address-level anomaly.</param>
/// <param name="UpstreamId">The upstream of that token, or null.</param>
/// <param name="Client">The client address, or null.</param>
/// <param name="DedupKey">What makes two raises the same anomaly (e.g. detector and token, or detector and address).</param>
/// <param name="Time">When it was observed.</param>
/// <param name="Why">In plain words, the observed value and the expected one.</param>
/// <param name="Learning">Whether it comes from a token still in its learning period.</param>
public sealed record AlertRaise(
    string Id,
    string Detector,
    AlertSeverity Severity,
    string? TokenId,
    string? UpstreamId,
    string? Client,
    string DedupKey,
    DateTimeOffset Time,
    string Why,
    bool Learning)
{
    /// <summary>Checks what every engine needs: ids, detector, key and why present, the severity known.</summary>
    /// <exception cref="ArgumentException">A required text is empty, or the severity is not one of <see cref="AlertSeverity"/>.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(Detector);
        ArgumentException.ThrowIfNullOrWhiteSpace(DedupKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(Why);
        if (!Enum.IsDefined(Severity))
        {
            throw new ArgumentException($"unknown alert severity {(int)Severity}", nameof(Severity));
        }
    }
}
