using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>
/// An anomaly alert as stored: one row per run of the same anomaly (its dedup key) from when it was first raised until
/// it is resolved, counting the repeats in between. Never holds a secret: ids, an address and plain words.
/// </summary>
/// <param name="Id">The public id (<c>al_…</c>).</param>
/// <param name="Detector">The detector that raised it, e.g. <c>volume</c>, <c>new-network</c>, <c>decoy</c>.</param>
/// <param name="Severity">The highest severity of its occurrences.</param>
/// <param name="TokenId">The token it is about (<c>tok_…</c>), or null for an alert about an address.</param>
/// <param name="UpstreamId">The upstream of that token, or null.</param>
/// <param name="Client">The client address of the first occurrence, or null.</param>
/// <param name="DedupKey">What makes two raises the same anomaly, e.g. <c>volume|tok_…</c>: while the alert is open or acknowledged, a raise with this key counts into it.</param>
/// <param name="FirstTime">When the anomaly was first seen.</param>
/// <param name="LastTime">When it was last seen.</param>
/// <param name="Count">How many raises counted into it (1 when new).</param>
/// <param name="FirstWhy">In plain words, what the first occurrence observed and what was expected.</param>
/// <param name="LastWhy">The same for the latest occurrence.</param>
/// <param name="Learning">True while every occurrence came from a token still in its learning period (only absolute rules fire then); such an alert is never acted on automatically.</param>
/// <param name="State">Open, acknowledged or resolved.</param>
public sealed record AlertRecord(
    string Id,
    string Detector,
    AlertSeverity Severity,
    string? TokenId,
    string? UpstreamId,
    string? Client,
    string DedupKey,
    DateTimeOffset FirstTime,
    DateTimeOffset LastTime,
    long Count,
    string FirstWhy,
    string LastWhy,
    bool Learning,
    AlertState State)
{
    /// <summary>Who acknowledged it, or null.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>When it was acknowledged, or null.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>What the person who acknowledged it wrote, or null.</summary>
    public string? AcknowledgeNote { get; init; }

    /// <summary>Who resolved it, or null.</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>When it was resolved, or null.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What the person who resolved it wrote, or null.</summary>
    public string? ResolveNote { get; init; }

    /// <summary>What Keywarden did about it, e.g. <c>token tok_… suspended</c>, or null (set by <see cref="IAlertStore.SetActionAsync"/>).</summary>
    public string? Action { get; init; }
}
