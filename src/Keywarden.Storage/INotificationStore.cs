using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>
/// Where alerts are sent (webhook targets, their URL and secret sealed) and the durable outbox of deliveries: an alert's
/// notifications are queued here and tried until the receiver accepts them, across restarts, so none is lost while a
/// receiver is down. Target changes append their audit entry in the same transaction.
/// </summary>
public interface INotificationStore
{
    /// <summary>Stores a new target and appends <paramref name="audit"/>.</summary>
    /// <exception cref="StorageException">The id is taken (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task AddTargetAsync(NotificationTargetRecord target, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Every target, oldest first.</summary>
    Task<IReadOnlyList<NotificationTargetRecord>> ListTargetsAsync(CancellationToken cancellationToken = default);

    /// <summary>The target of that id, or null.</summary>
    Task<NotificationTargetRecord?> FindTargetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a target, cancels its pending deliveries and appends <paramref name="audit"/>. False (nothing written) when no
    /// such target. Its delivered and cancelled deliveries stay on record.
    /// </summary>
    Task<bool> RemoveTargetAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues alert <paramref name="alertId"/> for every target whose minimum severity it reaches and that existed when it
    /// was raised, due at once. Idempotent: a target that already has a delivery of this alert gets no second one, so a
    /// caller that is not sure it queued an alert (a crash between raising and queueing) may queue it again.
    /// </summary>
    /// <returns>How many deliveries were queued now.</returns>
    Task<int> EnqueueAsync(string alertId, AlertSeverity severity, DateTimeOffset raisedAt, string notice, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Pending deliveries due at <paramref name="now"/>, oldest due first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<NotificationDelivery>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>When the earliest pending delivery is due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Records an accepted delivery. A delivery no longer pending (cancelled meanwhile) is left as it is.</summary>
    Task MarkDeliveredAsync(long deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt, why (<paramref name="failure"/>, a few words), and when to try again. A delivery no longer pending is left as it is.</summary>
    Task MarkFailedAsync(long deliveryId, string failure, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default);

    /// <summary>The deliveries of one alert, oldest first (for <c>alerts show</c>).</summary>
    Task<IReadOnlyList<NotificationDelivery>> ListDeliveriesAsync(string alertId, CancellationToken cancellationToken = default);
}
