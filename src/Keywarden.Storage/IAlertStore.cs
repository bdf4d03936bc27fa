namespace Keywarden.Storage;

/// <summary>
/// Anomaly alerts, deduplicated: while an alert is open or acknowledged, a raise of the same dedup key counts into it
/// instead of opening another, so one anomaly is one alert however often it repeats. A new alert and every change of
/// state append their audit record (made by <see cref="AlertAudit"/>) in the same transaction; repeats append none.
/// </summary>
public interface IAlertStore
{
    /// <summary>
    /// Opens a new alert, or counts <paramref name="raise"/> into the open or acknowledged alert of its dedup key: its
    /// count grows by one, its last time and latest why become this raise's (when it is the latest), its severity the
    /// higher of the two, and it stays a learning alert only if this raise is one too. Atomic across instances: two
    /// raises of one key never open two alerts. A new alert appends <see cref="AlertAudit.Raised"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The raise is incomplete (<see cref="AlertRaise.Validate"/>).</exception>
    /// <exception cref="StorageException">The raise's id is taken by another alert (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task<RaisedAlert> RaiseAsync(AlertRaise raise, CancellationToken cancellationToken = default);

    /// <summary>The alert of that id, or null.</summary>
    Task<AlertRecord?> FindAlertAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The alerts <paramref name="query"/> selects, last seen first (then by id, descending), one page of <see cref="AlertQuery.Limit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The query's limit is out of range.</exception>
    Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default);

    /// <summary>Marks an open alert acknowledged by <paramref name="actor"/> and appends <see cref="AlertAudit.Acknowledged"/>; returns the alert as it now stands.</summary>
    /// <exception cref="StorageException">
    /// No such alert (<see cref="StorageError.NotFound"/>); the alert is already acknowledged or resolved (<see cref="StorageError.Conflict"/>).
    /// Nothing is written then.
    /// </exception>
    Task<AlertRecord> AcknowledgeAsync(string id, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves an open or acknowledged alert and appends <see cref="AlertAudit.Resolved"/>; returns the alert as it now
    /// stands. A later raise of its dedup key opens a new alert.
    /// </summary>
    /// <exception cref="StorageException">No such alert (<see cref="StorageError.NotFound"/>); already resolved (<see cref="StorageError.Conflict"/>). Nothing is written then.</exception>
    Task<AlertRecord> ResolveAsync(string id, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records what Keywarden did about the alert (e.g. <c>token tok_… suspended</c>), replacing what was recorded
    /// before, in any state. Not audited here: the action itself (a suspension) carries its own record.
    /// </summary>
    /// <exception cref="StorageException">No such alert (<see cref="StorageError.NotFound"/>).</exception>
    Task<AlertRecord> SetActionAsync(string id, string action, CancellationToken cancellationToken = default);
}
