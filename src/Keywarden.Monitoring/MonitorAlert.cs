using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring;

/// <summary>One raise of an anomaly by a detector: what the alert store counts into an alert with the same <see cref="DedupKey"/>.</summary>
/// <param name="Detector">The detector's stable id (<see cref="DetectorNames"/>).</param>
/// <param name="Severity">How bad it is.</param>
/// <param name="TokenId">The token concerned, or null for an address-level alert (requests without a valid token).</param>
/// <param name="UpstreamId">The token's upstream, when known.</param>
/// <param name="Client">The client address of the request that raised it.</param>
/// <param name="Time">The time of the request that raised it.</param>
/// <param name="Why">In plain words: what was observed and what was expected.</param>
/// <param name="Learning">
/// Raised from learning-period data (the token is newer than <see cref="MonitorOptions.LearningPeriod"/>): worth showing,
/// never worth acting on automatically.
/// </param>
/// <param name="DedupKey">
/// <c>detector:token id</c>, or <c>detector:@client</c> when there is no token: one open alert per key, repeats counted.
/// </param>
public sealed record MonitorAlert(
    string Detector,
    AlertSeverity Severity,
    string? TokenId,
    string? UpstreamId,
    string? Client,
    DateTimeOffset Time,
    string Why,
    bool Learning,
    string DedupKey)
{
    /// <summary>The dedup key of <paramref name="detector"/>'s alerts about <paramref name="tokenId"/>, or, without a token, about <paramref name="client"/>.</summary>
    public static string KeyOf(string detector, string? tokenId, string? client) =>
        tokenId is not null ? $"{detector}:{tokenId}" : $"{detector}:@{client ?? "unknown"}";
}
