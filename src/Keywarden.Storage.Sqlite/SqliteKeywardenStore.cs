using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Operators;
using Keywarden.Core.Rotation;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (mode 0600) in WAL mode with <c>synchronous=FULL</c>, so an
/// acknowledged write survives a crash. Safe for concurrent use: every operation takes its own
/// pooled connection, and every change runs in one <c>BEGIN IMMEDIATE</c> transaction.
/// </summary>
/// <remarks>
/// Times are kept at millisecond precision in UTC (finer precision is truncated); see the README.
/// Removing an upstream keeps its row, marked removed, so the tokens issued for it stay on record.
/// This class only composes: the SQL of each aggregate lives in <see cref="SqliteUpstreamStore"/> (upstreams, keys and
/// the master key id), <see cref="SqliteTokenStore"/>, <see cref="SqliteRotationStore"/> (rotations and sinks),
/// <see cref="SqliteAlertStore"/>, <see cref="SqliteNotificationStore"/>, <see cref="SqliteOperatorStore"/> (operators, sessions, machine credentials, invitations) and <see cref="SqliteAuditStore"/>, the change feed in <see cref="SqliteChangeFeed"/> and the gateway's snapshot in
/// <see cref="SqliteSnapshotReader"/>, on the connection code they share in <see cref="SqliteDatabase"/>.
/// </remarks>
public sealed class SqliteKeywardenStore : IKeywardenStore, IAuditAppendDiagnostics
{
    private readonly SqliteDatabase _database;
    private readonly SqliteUpstreamStore _upstreams;
    private readonly SqliteTokenStore _tokens;
    private readonly SqliteRotationStore _rotations;
    private readonly SqliteAlertStore _alerts;
    private readonly SqliteAuditStore _audit;
    private readonly SqliteChangeFeed _changes;
    private readonly SqliteSnapshotReader _snapshots;
    private readonly SqliteNotificationStore _notifications;
    private readonly SqliteOperatorStore _operators;
    private int _disposed;

    private SqliteKeywardenStore(string databasePath, SqliteStoreOptions options, TimeProvider timeProvider)
    {
        _database = new SqliteDatabase(databasePath, timeProvider);
        _upstreams = new SqliteUpstreamStore(_database);
        _tokens = new SqliteTokenStore(_database);
        _rotations = new SqliteRotationStore(_database);
        _alerts = new SqliteAlertStore(_database);
        _audit = new SqliteAuditStore(_database);
        _changes = new SqliteChangeFeed(_database, options.ChangePollInterval);
        _snapshots = new SqliteSnapshotReader(_database);
        _notifications = new SqliteNotificationStore(_database);
        _operators = new SqliteOperatorStore(_database);
    }

    /// <summary>How long an operation waits for a lock held by another writer before it fails as <see cref="StorageError.Unavailable"/>.</summary>
    public static TimeSpan BusyTimeout => TimeSpan.FromMilliseconds(SqliteDatabase.BusyTimeoutMilliseconds);

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <inheritdoc />
    public AuditAppendTiming? LastAppend => _audit.LastAppend;

    /// <inheritdoc />
    public AuditAppendProgress? AppendInProgress => _audit.AppendInProgress;

    /// <summary>
    /// Opens the database at <paramref name="databasePath"/>, creating it (mode 0600) when absent,
    /// and migrates its schema to the version this program writes.
    /// </summary>
    /// <param name="databasePath">The database file. Its directory must exist.</param>
    /// <param name="timeProvider">The clock for bookkeeping (when a migration was applied); the system clock by default.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="StorageException">
    /// The schema is newer than this program or the file is not a Keywarden database (<see cref="StorageError.Incompatible"/>);
    /// the file cannot be created, opened or written (<see cref="StorageError.Unavailable"/>).
    /// </exception>
    public static Task<SqliteKeywardenStore> OpenAsync(string databasePath, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        OpenAsync(databasePath, new SqliteStoreOptions(), timeProvider, cancellationToken);

    /// <summary>As <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/>, with <paramref name="options"/>.</summary>
    /// <param name="databasePath">The database file. Its directory must exist.</param>
    /// <param name="options">How the store behaves (how often a change feed waiter polls).</param>
    /// <param name="timeProvider">The clock for bookkeeping and the change feed's polls; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="StorageException">As <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/>.</exception>
    public static async Task<SqliteKeywardenStore> OpenAsync(
        string databasePath, SqliteStoreOptions options, TimeProvider? timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var fullPath = Path.GetFullPath(databasePath);
        Guard(() => DatabaseFile.EnsureExists(fullPath), $"cannot create the database file '{fullPath}'");

        var store = new SqliteKeywardenStore(fullPath, options, timeProvider ?? TimeProvider.System);
        try
        {
            await store._database.EnableWriteAheadLogAsync(cancellationToken);
            await store.MigrateAsync(cancellationToken);
            Guard(() => DatabaseFile.RestrictToOwner(fullPath), $"cannot restrict the permissions of '{fullPath}' and its -wal/-shm files to 0600");
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _database.MigrateAsync(cancellationToken);

    // Upstreams and their keys.

    /// <inheritdoc />
    public Task AddUpstreamAsync(UpstreamRecord upstream, UpstreamKeyRecord currentKey, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _upstreams.AddUpstreamAsync(upstream, currentKey, audit, cancellationToken);

    /// <inheritdoc />
    public Task<UpstreamRecord?> FindUpstreamAsync(string name, CancellationToken cancellationToken = default) =>
        _upstreams.FindUpstreamAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<UpstreamRecord?> GetUpstreamAsync(string id, CancellationToken cancellationToken = default) =>
        _upstreams.GetUpstreamAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<UpstreamRecord>> ListUpstreamsAsync(CancellationToken cancellationToken = default) =>
        _upstreams.ListUpstreamsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<UpstreamKeyRecord>> ListKeysAsync(string upstreamId, CancellationToken cancellationToken = default) =>
        _upstreams.ListKeysAsync(upstreamId, cancellationToken);

    /// <inheritdoc />
    public Task<UpstreamKeyRecord?> FindKeyByFingerprintAsync(string fingerprint, CancellationToken cancellationToken = default) =>
        _upstreams.FindKeyByFingerprintAsync(fingerprint, cancellationToken);

    /// <inheritdoc />
    public Task MarkVerifiedAsync(string keyId, string? accountId, DateTimeOffset verifiedAt, CancellationToken cancellationToken = default) =>
        _upstreams.MarkVerifiedAsync(keyId, accountId, verifiedAt, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveUpstreamAsync(string name, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _upstreams.RemoveUpstreamAsync(name, revokedAt, audit, cancellationToken);

    // Encryption at rest.

    /// <inheritdoc />
    public Task<string?> GetMasterKeyIdAsync(CancellationToken cancellationToken = default) =>
        _upstreams.GetMasterKeyIdAsync(cancellationToken);

    /// <inheritdoc />
    public Task SetMasterKeyIdAsync(string masterKeyId, CancellationToken cancellationToken = default) =>
        _upstreams.SetMasterKeyIdAsync(masterKeyId, cancellationToken);

    /// <inheritdoc />
    public Task<int> RewrapAllAsync(
        Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, Func<int, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        _upstreams.RewrapAllAsync(rewrap, newMasterKeyId, audit, cancellationToken);

    // Tokens.

    /// <inheritdoc />
    public Task AddTokenAsync(TokenRecord token, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _tokens.AddTokenAsync(token, audit, cancellationToken);

    /// <inheritdoc />
    public Task<TokenRecord?> FindTokenAsync(string id, CancellationToken cancellationToken = default) =>
        _tokens.FindTokenAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<TokenRecord?> FindTokenByHashAsync(byte[] hash, CancellationToken cancellationToken = default) =>
        _tokens.FindTokenByHashAsync(hash, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        _tokens.ListTokensAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>?> ListTokensPageAsync(string? afterId, int limit, CancellationToken cancellationToken = default) =>
        _tokens.ListTokensPageAsync(afterId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _tokens.RevokeTokenAsync(id, revokedAt, audit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SuspendTokenAsync(string id, DateTimeOffset suspendedAt, string reason, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _tokens.SuspendTokenAsync(id, suspendedAt, reason, audit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ResumeTokenAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _tokens.ResumeTokenAsync(id, audit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetOnAnomalyAsync(string id, AnomalyResponse? response, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _tokens.SetOnAnomalyAsync(id, response, audit, cancellationToken);

    /// <inheritdoc />
    public Task<TokenRecord> RotateTokenAsync(
        string id, TokenRecord successor, DateTimeOffset retireAt, Func<TokenRecord, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        _tokens.RotateTokenAsync(id, successor, retireAt, audit, cancellationToken);


    // Rotations, sinks and key ages.

    /// <inheritdoc />
    public Task StartRotationAsync(RotationRecord rotation, RotationTransition opening, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.StartRotationAsync(rotation, opening, audit, cancellationToken);

    /// <inheritdoc />
    public Task AdvanceRotationAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.AdvanceRotationAsync(rotationId, transition, audit, cancellationToken);

    /// <inheritdoc />
    public Task StagePendingKeyAsync(string rotationId, UpstreamKeyRecord pendingKey, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.StagePendingKeyAsync(rotationId, pendingKey, transition, audit, cancellationToken);

    /// <inheritdoc />
    public Task DropPendingKeyAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.DropPendingKeyAsync(rotationId, transition, audit, cancellationToken);

    /// <inheritdoc />
    public Task PromoteAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.PromoteAsync(rotationId, transition, audit, cancellationToken);

    /// <inheritdoc />
    public Task DropPreviousKeyAsync(string rotationId, RotationTransition transition, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.DropPreviousKeyAsync(rotationId, transition, audit, cancellationToken);

    /// <inheritdoc />
    public Task SetRotationProblemAsync(string rotationId, string? problem, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.SetRotationProblemAsync(rotationId, problem, audit, cancellationToken);

    /// <inheritdoc />
    public Task<RotationRecord?> FindOpenRotationAsync(string upstreamId, CancellationToken cancellationToken = default) =>
        _rotations.FindOpenRotationAsync(upstreamId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RotationRecord>> ListRotationsAsync(string upstreamId, CancellationToken cancellationToken = default) =>
        _rotations.ListRotationsAsync(upstreamId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RotationTransition>> ListRotationHistoryAsync(string rotationId, CancellationToken cancellationToken = default) =>
        _rotations.ListRotationHistoryAsync(rotationId, cancellationToken);

    /// <inheritdoc />
    public Task SetMaxKeyAgeAsync(string upstreamId, TimeSpan maxKeyAge, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.SetMaxKeyAgeAsync(upstreamId, maxKeyAge, audit, cancellationToken);

    /// <inheritdoc />
    public Task AddSinkAsync(SinkRecord sink, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.AddSinkAsync(sink, audit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SinkRecord>> ListSinksAsync(string? upstreamId, CancellationToken cancellationToken = default) =>
        _rotations.ListSinksAsync(upstreamId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveSinkAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _rotations.RemoveSinkAsync(id, audit, cancellationToken);

    // Anomaly alerts.

    /// <inheritdoc />
    public Task<RaisedAlert> RaiseAsync(AlertRaise raise, CancellationToken cancellationToken = default) =>
        _alerts.RaiseAsync(raise, cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord?> FindAlertAsync(string id, CancellationToken cancellationToken = default) =>
        _alerts.FindAlertAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default) =>
        _alerts.ListAlertsAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord> AcknowledgeAsync(string id, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken = default) =>
        _alerts.AcknowledgeAsync(id, actor, at, note, cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord> ResolveAsync(string id, string actor, DateTimeOffset at, string? note, CancellationToken cancellationToken = default) =>
        _alerts.ResolveAsync(id, actor, at, note, cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord> SetActionAsync(string id, string action, CancellationToken cancellationToken = default) =>
        _alerts.SetActionAsync(id, action, cancellationToken);

    // The change feed and the gateway's snapshot.

    /// <inheritdoc />
    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        _changes.GetRevisionAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Polls the revision every <see cref="SqliteStoreOptions.ChangePollInterval"/> (100 ms unless configured).</remarks>
    public Task<long> WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken = default) =>
        _changes.WaitForChangeAsync(afterRevision, cancellationToken);

    /// <inheritdoc />
    public Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default) =>
        _snapshots.ReadSnapshotAsync(cancellationToken);

    // The audit log.

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) =>
        _audit.AppendAsync(entries, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditFlush flush, CancellationToken cancellationToken = default) =>
        _audit.AppendAsync(entries, flush, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        _audit.ReadAsync(afterSequence, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> TailAsync(int count, CancellationToken cancellationToken = default) =>
        _audit.TailAsync(count, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _audit.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public Task<AuditCheckpoint?> CheckpointAsync(string source, CancellationToken cancellationToken = default) =>
        _audit.CheckpointAsync(source, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default) =>
        _audit.ListCheckpointsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<DateTimeOffset> GetAuditCoverageStartAsync(CancellationToken cancellationToken = default) =>
        _audit.GetAuditCoverageStartAsync(cancellationToken);

    /// <inheritdoc />
    public Task<long> SequenceBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken = default) =>
        _audit.SequenceBeforeAsync(time, cancellationToken);

    /// <summary>Closes the pooled connections of this database.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _audit.Dispose();
            _database.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A connection set up as the store's own are (for tests of the per-connection pragmas).</summary>
    internal Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _database.OpenConnectionAsync(cancellationToken);

    private static void Guard(Action action, string failure)
    {
        try
        {
            action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(StorageError.Unavailable, $"{failure}: {exception.Message}", exception);
        }
    }

    // Notification targets and deliveries.

    /// <inheritdoc />
    public Task AddTargetAsync(NotificationTargetRecord target, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _notifications.AddTargetAsync(target, audit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationTargetRecord>> ListTargetsAsync(CancellationToken cancellationToken = default) =>
        _notifications.ListTargetsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<NotificationTargetRecord?> FindTargetAsync(string id, CancellationToken cancellationToken = default) =>
        _notifications.FindTargetAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveTargetAsync(string id, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _notifications.RemoveTargetAsync(id, audit, cancellationToken);

    /// <inheritdoc />
    public Task<int> EnqueueAsync(
        string alertId, AlertSeverity severity, DateTimeOffset raisedAt, string notice, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _notifications.EnqueueAsync(alertId, severity, raisedAt, notice, now, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationDelivery>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        _notifications.DueDeliveriesAsync(now, limit, cancellationToken);

    /// <inheritdoc />
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        _notifications.NextDueAsync(cancellationToken);

    /// <inheritdoc />
    public Task MarkDeliveredAsync(long deliveryId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _notifications.MarkDeliveredAsync(deliveryId, at, cancellationToken);

    /// <inheritdoc />
    public Task MarkFailedAsync(long deliveryId, string failure, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default) =>
        _notifications.MarkFailedAsync(deliveryId, failure, nextAttemptAt, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationDelivery>> ListDeliveriesAsync(string alertId, CancellationToken cancellationToken = default) =>
        _notifications.ListDeliveriesAsync(alertId, cancellationToken);

    // Operators, sessions, machine credentials and invitations.

    /// <inheritdoc />
    public Task AddInvitationAsync(InvitationRecord invitation, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.AddInvitationAsync(invitation, audit, cancellationToken);

    /// <inheritdoc />
    public Task<InvitationRecord?> FindInvitationByHashAsync(byte[] hash, CancellationToken cancellationToken = default) =>
        _operators.FindInvitationByHashAsync(hash, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RedeemInvitationAsync(string invitationId, OperatorRecord created, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.RedeemInvitationAsync(invitationId, created, now, audit, cancellationToken);

    /// <inheritdoc />
    public Task<int> CountOperatorsAsync(CancellationToken cancellationToken = default) =>
        _operators.CountOperatorsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<OperatorRecord?> FindOperatorAsync(string name, CancellationToken cancellationToken = default) =>
        _operators.FindOperatorAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<OperatorRecord?> GetOperatorAsync(string id, CancellationToken cancellationToken = default) =>
        _operators.GetOperatorAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OperatorRecord>> ListOperatorsAsync(CancellationToken cancellationToken = default) =>
        _operators.ListOperatorsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> BeginTotpEnrolmentAsync(string operatorId, SealedSecret secret, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.BeginTotpEnrolmentAsync(operatorId, secret, audit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ConfirmTotpEnrolmentAsync(
        string operatorId, long totpStep, IReadOnlyList<byte[]> recoveryCodeHashes, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.ConfirmTotpEnrolmentAsync(operatorId, totpStep, recoveryCodeHashes, at, audit, cancellationToken);

    /// <inheritdoc />
    public Task<int?> RecordLoginFailureAsync(
        string operatorId, DateTimeOffset at, Func<int, DateTimeOffset?> lockUntil, Func<int, AuditEntry> audit, CancellationToken cancellationToken = default) =>
        _operators.RecordLoginFailureAsync(operatorId, at, lockUntil, audit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> StartSessionAsync(OperatorSessionRecord session, SecondFactor factor, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.StartSessionAsync(session, factor, audit, cancellationToken);

    /// <inheritdoc />
    public Task<OperatorSessionRecord?> FindSessionByHashAsync(byte[] tokenHash, CancellationToken cancellationToken = default) =>
        _operators.FindSessionByHashAsync(tokenHash, cancellationToken);

    /// <inheritdoc />
    public Task<OperatorSessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        _operators.GetSessionAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OperatorSessionRecord>> ListSessionsAsync(string operatorId, CancellationToken cancellationToken = default) =>
        _operators.ListSessionsAsync(operatorId, cancellationToken);

    /// <inheritdoc />
    public Task TouchSessionAsync(string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _operators.TouchSessionAsync(sessionId, at, cancellationToken);

    /// <inheritdoc />
    public Task<bool> StepUpSessionAsync(string sessionId, SecondFactor factor, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.StepUpSessionAsync(sessionId, factor, at, audit, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeSessionAsync(string sessionId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.RevokeSessionAsync(sessionId, at, audit, cancellationToken);

    /// <inheritdoc />
    public Task<OperatorChange> ChangeRoleAsync(string operatorId, OperatorRole role, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.ChangeRoleAsync(operatorId, role, audit, cancellationToken);

    /// <inheritdoc />
    public Task<OperatorChange> RemoveOperatorAsync(string operatorId, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.RemoveOperatorAsync(operatorId, audit, cancellationToken);

    /// <inheritdoc />
    public Task AddMachineCredentialAsync(MachineCredentialRecord credential, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.AddMachineCredentialAsync(credential, audit, cancellationToken);

    /// <inheritdoc />
    public Task<MachineCredentialRecord?> FindMachineCredentialByHashAsync(byte[] hash, CancellationToken cancellationToken = default) =>
        _operators.FindMachineCredentialByHashAsync(hash, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineCredentialRecord>> ListMachineCredentialsAsync(CancellationToken cancellationToken = default) =>
        _operators.ListMachineCredentialsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeMachineCredentialAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default) =>
        _operators.RevokeMachineCredentialAsync(id, at, audit, cancellationToken);
}
