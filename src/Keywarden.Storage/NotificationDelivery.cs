namespace Keywarden.Storage;

/// <summary>One alert's notification to one target: the outbox row, kept after delivery as its record.</summary>
/// <param name="Id">The store's number for it, also sent to the receiver (<c>X-Keywarden-Delivery</c>) so a repeat can be recognised.</param>
/// <param name="TargetId">Where it goes.</param>
/// <param name="AlertId">What it is about.</param>
/// <param name="Notice">The alert as it was when raised, as Keywarden's generic JSON (no secret); each format is made from it when sent.</param>
/// <param name="State">Pending, delivered or cancelled.</param>
/// <param name="Attempts">How many times it was sent (one attempt may include quick retries).</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="NextAttemptAt">When a pending delivery is tried next.</param>
/// <param name="DeliveredAt">When the receiver accepted it.</param>
/// <param name="LastError">Why the last attempt failed, in a few words (a status code, a timeout), or null.</param>
public sealed record NotificationDelivery(
    long Id,
    string TargetId,
    string AlertId,
    string Notice,
    DeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? LastError);
