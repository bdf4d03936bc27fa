using Keywarden.Core.Audit;
using Keywarden.Core.Rotation;

namespace Keywarden.Storage;

/// <summary>
/// Rotations, their history, sinks and key ages. Every change is one transaction that checks the
/// rotation is still in the transition's <see cref="RotationTransition.From"/> state, writes the step to the
/// history, appends <c>audit</c> to the audit log and moves the revision; so a crash leaves the
/// rotation either before or after the step, never between, and never unaudited.
/// </summary>
public interface IRotationStore
{
    /// <summary>Opens a rotation in <see cref="RotationState.Requested"/>.</summary>
    /// <exception cref="StorageException">The upstream has an open rotation (<see cref="StorageError.Conflict"/>).</exception>
    Task StartRotationAsync(RotationRecord rotation, RotationTransition opening, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Moves a rotation one step without touching keys.</summary>
    /// <exception cref="StorageException">No such rotation (<see cref="StorageError.NotFound"/>) or it is no longer in the step's from state (<see cref="StorageError.Conflict"/>).</exception>
    Task AdvanceRotationAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="pendingKey"/> in the pending slot and records it as the rotation's new key.</summary>
    Task StagePendingKeyAsync(string rotationId, UpstreamKeyRecord pendingKey, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the rotation's pending key (refused, or the rotation aborted) with the step.</summary>
    Task DropPendingKeyAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Pending becomes current and current becomes previous, with the step, in one transaction.</summary>
    Task PromoteAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the replaced (previous) key, ciphertext included, with the step.</summary>
    Task DropPreviousKeyAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records what stops an open rotation from going on (<paramref name="problem"/>, e.g. a sink that failed), with its
    /// audit record, in one transaction; the rotation's next step clears it.
    /// </summary>
    /// <exception cref="StorageException">No open rotation has that id (<see cref="StorageError.NotFound"/>).</exception>
    Task SetRotationProblemAsync(string rotationId, string? problem, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The open (neither revoked nor aborted) rotation of an upstream, or null.</summary>
    Task<RotationRecord?> FindOpenRotationAsync(string upstreamId, CancellationToken cancellationToken = default);

    /// <summary>The rotations of an upstream, newest first.</summary>
    Task<IReadOnlyList<RotationRecord>> ListRotationsAsync(string upstreamId, CancellationToken cancellationToken = default);

    /// <summary>The steps of a rotation in order.</summary>
    Task<IReadOnlyList<RotationTransition>> ListRotationHistoryAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Sets how old an upstream's current key may get.</summary>
    /// <exception cref="StorageException">No such upstream (<see cref="StorageError.NotFound"/>).</exception>
    Task SetMaxKeyAgeAsync(string upstreamId, TimeSpan maxKeyAge, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Adds a sink.</summary>
    /// <exception cref="StorageException">No such upstream (<see cref="StorageError.NotFound"/>).</exception>
    Task AddSinkAsync(SinkRecord sink, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The sinks of one upstream, or of all when <paramref name="upstreamId"/> is null, oldest first.</summary>
    Task<IReadOnlyList<SinkRecord>> ListSinksAsync(string? upstreamId, CancellationToken cancellationToken = default);

    /// <summary>Removes a sink; false when none has that id.</summary>
    Task<bool> RemoveSinkAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default);
}
