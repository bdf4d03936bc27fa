using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// Operators (<c>operators</c>, <c>operator_totp</c>, <c>operator_recovery_codes</c>), their sessions
/// (<c>operator_sessions</c>), machine credentials (<c>machine_credentials</c>) and invitations (<c>operator_invitations</c>).
/// Checks that must hold against concurrent writers (a code not replayed, the last admin kept) run inside the write transaction.
/// </summary>
internal sealed class SqliteOperatorStore : IOperatorStore
{
    private const string OperatorSelect = """
        SELECT o.id, o.name, o.role, o.password_hash, o.created_at, t.ciphertext, t.wrapped_data_key, t.master_key_id, t.confirmed_at,
               o.last_totp_step, (SELECT count(*) FROM operator_recovery_codes r WHERE r.operator_id = o.id AND r.used_at IS NULL),
               o.failed_attempts, o.last_failure_at, o.locked_until, o.last_seen_at
        FROM operators o LEFT JOIN operator_totp t ON t.id = o.id
        """;

    private const string SessionColumns = "id, operator_id, token_hash, created_at, last_used_at, expires_at, revoked_at, stepped_up_at";
    private const string CredentialColumns = "id, name, role, hash, created_at, expires_at, revoked_at";
    private const string InvitationColumns = "id, name, role, hash, created_at, expires_at, used_at";

    private readonly SqliteDatabase _database;

    public SqliteOperatorStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc />
    public Task AddInvitationAsync(InvitationRecord invitation, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"add invitation '{invitation.Id}'",
            async (transaction, ct) =>
            {
                await using (var insert = transaction.Sql(
                    $"INSERT INTO operator_invitations ({InvitationColumns}) VALUES ($id, $name, $role, $hash, $created_at, $expires_at, $used_at)"))
                {
                    try
                    {
                        await insert
                            .With("$id", invitation.Id)
                            .With("$name", invitation.Name)
                            .With("$role", RoleWord(invitation.Role))
                            .With("$hash", invitation.Hash)
                            .With("$created_at", StoredTime.ToUnixMilliseconds(invitation.CreatedAt))
                            .With("$expires_at", StoredTime.ToUnixMilliseconds(invitation.ExpiresAt))
                            .With("$used_at", StoredTime.ToUnixMilliseconds(invitation.UsedAt))
                            .ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException exception) when (
                        SqliteErrors.IsDuplicate(exception, "operator_invitations.id") || SqliteErrors.IsDuplicate(exception, "operator_invitations.hash"))
                    {
                        throw new StorageException(StorageError.Conflict, $"an invitation with id '{invitation.Id}' or the same code exists", exception);
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<InvitationRecord?> FindInvitationByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return _database.QuerySingleAsync(
            "find an invitation", $"SELECT {InvitationColumns} FROM operator_invitations WHERE hash = $value", hash, ReadInvitation, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RedeemInvitationAsync(string invitationId, OperatorRecord created, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitationId);
        ArgumentNullException.ThrowIfNull(created);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"redeem invitation '{invitationId}'",
            async (transaction, ct) =>
            {
                await using (var use = transaction.Sql("""
                    UPDATE operator_invitations SET used_at = $now
                    WHERE id = $id AND used_at IS NULL AND expires_at > $now AND name = $name AND role = $role
                    """))
                {
                    var used = await use
                        .With("$now", StoredTime.ToUnixMilliseconds(now))
                        .With("$id", invitationId)
                        .With("$name", created.Name)
                        .With("$role", RoleWord(created.Role))
                        .ExecuteNonQueryAsync(ct);
                    if (used == 0)
                    {
                        return false;
                    }
                }

                await using (var insert = transaction.Sql("""
                    INSERT INTO operators (id, name, role, password_hash, created_at) VALUES ($id, $name, $role, $password_hash, $created_at)
                    """))
                {
                    try
                    {
                        await insert
                            .With("$id", created.Id)
                            .With("$name", created.Name)
                            .With("$role", RoleWord(created.Role))
                            .With("$password_hash", created.PasswordHash)
                            .With("$created_at", StoredTime.ToUnixMilliseconds(created.CreatedAt))
                            .ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException exception) when (
                        SqliteErrors.IsDuplicate(exception, "operators.name") || SqliteErrors.IsDuplicate(exception, "operators.id"))
                    {
                        throw new StorageException(StorageError.Conflict, $"an operator named '{created.Name}' exists", exception);
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> CountOperatorsAsync(CancellationToken cancellationToken = default) =>
        _database.UseConnectionAsync(
            "count operators",
            async (connection, ct) =>
            {
                await using var count = connection.Sql("SELECT count(*) FROM operators");
                return (int)await count.ScalarAsync<long>(ct);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<OperatorRecord?> FindOperatorAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _database.QuerySingleAsync($"find operator '{name}'", OperatorSelect + " WHERE o.name = $value", name, ReadOperator, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OperatorRecord?> GetOperatorAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.QuerySingleAsync($"find operator '{id}'", OperatorSelect + " WHERE o.id = $value", id, ReadOperator, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OperatorRecord>> ListOperatorsAsync(CancellationToken cancellationToken = default) =>
        _database.QueryListAsync("list operators", OperatorSelect + " ORDER BY o.name", null, ReadOperator, cancellationToken);

    /// <inheritdoc />
    public Task<bool> BeginTotpEnrolmentAsync(string operatorId, SealedSecret secret, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operatorId);
        ArgumentNullException.ThrowIfNull(secret);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"begin the TOTP enrolment of operator '{operatorId}'",
            async (transaction, ct) =>
            {
                await using (var upsert = transaction.Sql("""
                    INSERT INTO operator_totp (id, ciphertext, wrapped_data_key, master_key_id)
                    SELECT id, $ciphertext, $wrapped_data_key, $master_key_id FROM operators WHERE id = $id
                    ON CONFLICT (id) DO UPDATE SET ciphertext = excluded.ciphertext, wrapped_data_key = excluded.wrapped_data_key,
                        master_key_id = excluded.master_key_id
                    WHERE operator_totp.confirmed_at IS NULL
                    """))
                {
                    var written = await upsert
                        .With("$id", operatorId)
                        .With("$ciphertext", secret.Ciphertext)
                        .With("$wrapped_data_key", secret.WrappedDataKey)
                        .With("$master_key_id", secret.MasterKeyId)
                        .ExecuteNonQueryAsync(ct);
                    if (written == 0)
                    {
                        return false;
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ConfirmTotpEnrolmentAsync(
        string operatorId, long totpStep, IReadOnlyList<byte[]> recoveryCodeHashes, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operatorId);
        ArgumentNullException.ThrowIfNull(recoveryCodeHashes);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"confirm the TOTP enrolment of operator '{operatorId}'",
            async (transaction, ct) =>
            {
                // Reads first, so that a refusal writes nothing (the transaction holds the write lock: nothing changes in between).
                await using (var pending = transaction.Sql("SELECT count(*) FROM operator_totp WHERE id = $id AND confirmed_at IS NULL"))
                {
                    if (await pending.With("$id", operatorId).ScalarAsync<long>(ct) == 0)
                    {
                        return false;
                    }
                }

                if (!await CanConsumeAsync(transaction, operatorId, SecondFactor.Totp(totpStep), ct))
                {
                    return false;
                }

                await using (var confirm = transaction.Sql("UPDATE operator_totp SET confirmed_at = $at WHERE id = $id"))
                {
                    await confirm.With("$at", StoredTime.ToUnixMilliseconds(at)).With("$id", operatorId).ExecuteNonQueryAsync(ct);
                }

                await ConsumeAsync(transaction, operatorId, SecondFactor.Totp(totpStep), at, ct);
                await using (var clear = transaction.Sql("DELETE FROM operator_recovery_codes WHERE operator_id = $id"))
                {
                    await clear.With("$id", operatorId).ExecuteNonQueryAsync(ct);
                }

                foreach (var hash in recoveryCodeHashes)
                {
                    await using var insert = transaction.Sql("INSERT INTO operator_recovery_codes (operator_id, hash) VALUES ($id, $hash)");
                    await insert.With("$id", operatorId).With("$hash", hash).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int?> RecordLoginFailureAsync(
        string operatorId, DateTimeOffset at, Func<int, DateTimeOffset?> lockUntil, Func<int, AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operatorId);
        ArgumentNullException.ThrowIfNull(lockUntil);
        ArgumentNullException.ThrowIfNull(audit);
        return _database.WriteAsync<int?>(
            $"record a failed login of operator '{operatorId}'",
            async (transaction, ct) =>
            {
                long count;
                await using (var increment = transaction.Sql(
                    "UPDATE operators SET failed_attempts = failed_attempts + 1, last_failure_at = $at WHERE id = $id RETURNING failed_attempts"))
                {
                    var returned = await increment.With("$at", StoredTime.ToUnixMilliseconds(at)).With("$id", operatorId).ScalarAsync<long?>(ct);
                    if (returned is not { } value)
                    {
                        return null;
                    }

                    count = value;
                }

                if (lockUntil((int)count) is { } until)
                {
                    await using var lockAccount = transaction.Sql("UPDATE operators SET locked_until = max(coalesce(locked_until, 0), $until) WHERE id = $id");
                    await lockAccount.With("$until", StoredTime.ToUnixMilliseconds(until)).With("$id", operatorId).ExecuteNonQueryAsync(ct);
                }

                var entry = audit((int)count);
                AuditChain.ThrowIfInvalid(entry);
                await SqliteAuditStore.AppendInTransactionAsync(transaction, [entry], ct);
                return (int)count;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> StartSessionAsync(OperatorSessionRecord session, SecondFactor factor, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(factor);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"start a session of operator '{session.OperatorId}'",
            async (transaction, ct) =>
            {
                if (!await IsEnrolledAsync(transaction, session.OperatorId, ct) || !await CanConsumeAsync(transaction, session.OperatorId, factor, ct))
                {
                    return false;
                }

                await ConsumeAsync(transaction, session.OperatorId, factor, session.CreatedAt, ct);

                await using (var reset = transaction.Sql("""
                    UPDATE operators SET failed_attempts = 0, last_failure_at = NULL, locked_until = NULL, last_seen_at = $at WHERE id = $id
                    """))
                {
                    await reset.With("$at", StoredTime.ToUnixMilliseconds(session.CreatedAt)).With("$id", session.OperatorId).ExecuteNonQueryAsync(ct);
                }

                await using (var insert = transaction.Sql($"""
                    INSERT INTO operator_sessions ({SessionColumns})
                    VALUES ($id, $operator_id, $token_hash, $created_at, $last_used_at, $expires_at, $revoked_at, $stepped_up_at)
                    """))
                {
                    try
                    {
                        await insert
                            .With("$id", session.Id)
                            .With("$operator_id", session.OperatorId)
                            .With("$token_hash", session.TokenHash)
                            .With("$created_at", StoredTime.ToUnixMilliseconds(session.CreatedAt))
                            .With("$last_used_at", StoredTime.ToUnixMilliseconds(session.LastUsedAt))
                            .With("$expires_at", StoredTime.ToUnixMilliseconds(session.ExpiresAt))
                            .With("$revoked_at", StoredTime.ToUnixMilliseconds(session.RevokedAt))
                            .With("$stepped_up_at", StoredTime.ToUnixMilliseconds(session.SteppedUpAt))
                            .ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException exception) when (
                        SqliteErrors.IsDuplicate(exception, "operator_sessions.id") || SqliteErrors.IsDuplicate(exception, "operator_sessions.token_hash"))
                    {
                        throw new StorageException(StorageError.Conflict, $"a session with id '{session.Id}' or the same token exists", exception);
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<OperatorSessionRecord?> FindSessionByHashAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return _database.QuerySingleAsync(
            "find a session", $"SELECT {SessionColumns} FROM operator_sessions WHERE token_hash = $value", tokenHash, ReadSession, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OperatorSessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return _database.QuerySingleAsync(
            $"find session '{sessionId}'", $"SELECT {SessionColumns} FROM operator_sessions WHERE id = $value", sessionId, ReadSession, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OperatorSessionRecord>> ListSessionsAsync(string operatorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operatorId);
        return _database.QueryListAsync(
            $"list the sessions of operator '{operatorId}'",
            $"SELECT {SessionColumns} FROM operator_sessions WHERE operator_id = $value ORDER BY created_at DESC, id",
            operatorId,
            ReadSession,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task TouchSessionAsync(string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return _database.WriteAsync(
            $"record a use of session '{sessionId}'",
            async (transaction, ct) =>
            {
                await using var touch = transaction.Sql("""
                    UPDATE operator_sessions SET last_used_at = max(last_used_at, $at) WHERE id = $id;
                    UPDATE operators SET last_seen_at = max(coalesce(last_seen_at, 0), $at) WHERE id = (SELECT operator_id FROM operator_sessions WHERE id = $id);
                    """);
                await touch.With("$at", StoredTime.ToUnixMilliseconds(at)).With("$id", sessionId).ExecuteNonQueryAsync(ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> StepUpSessionAsync(string sessionId, SecondFactor factor, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(factor);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"record a step-up in session '{sessionId}'",
            async (transaction, ct) =>
            {
                string? operatorId;
                await using (var read = transaction.Sql("SELECT operator_id FROM operator_sessions WHERE id = $id AND revoked_at IS NULL"))
                {
                    operatorId = await read.With("$id", sessionId).ScalarAsync<string>(ct);
                }

                if (operatorId is null || !await CanConsumeAsync(transaction, operatorId, factor, ct))
                {
                    return false;
                }

                await ConsumeAsync(transaction, operatorId, factor, at, ct);
                await using (var mark = transaction.Sql("UPDATE operator_sessions SET stepped_up_at = $at WHERE id = $id"))
                {
                    await mark.With("$at", StoredTime.ToUnixMilliseconds(at)).With("$id", sessionId).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RevokeSessionAsync(string sessionId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return RevokeAsync("operator_sessions", "session", sessionId, at, audit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OperatorChange> ChangeRoleAsync(string operatorId, OperatorRole role, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operatorId);
        AuditChain.ThrowIfInvalid(audit);
        var word = RoleWord(role);
        return _database.WriteAsync(
            $"change the role of operator '{operatorId}'",
            async (transaction, ct) =>
            {
                var current = await RoleOfAsync(transaction, operatorId, ct);
                if (current is null)
                {
                    return OperatorChange.NotFound;
                }

                if (current == word)
                {
                    return OperatorChange.Unchanged;
                }

                if (current == RoleWord(OperatorRole.Admin) && await CountAdminsAsync(transaction, ct) <= 1)
                {
                    return OperatorChange.LastAdmin;
                }

                await using (var update = transaction.Sql("UPDATE operators SET role = $role WHERE id = $id"))
                {
                    await update.With("$role", word).With("$id", operatorId).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return OperatorChange.Done;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<OperatorChange> RemoveOperatorAsync(string operatorId, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operatorId);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"remove operator '{operatorId}'",
            async (transaction, ct) =>
            {
                var current = await RoleOfAsync(transaction, operatorId, ct);
                if (current is null)
                {
                    return OperatorChange.NotFound;
                }

                if (current == RoleWord(OperatorRole.Admin) && await CountAdminsAsync(transaction, ct) <= 1)
                {
                    return OperatorChange.LastAdmin;
                }

                // The foreign keys cascade to the TOTP secret (deleted, ciphertext included), recovery codes and sessions.
                await using (var delete = transaction.Sql("DELETE FROM operators WHERE id = $id"))
                {
                    await delete.With("$id", operatorId).ExecuteNonQueryAsync(ct);
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return OperatorChange.Done;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task AddMachineCredentialAsync(MachineCredentialRecord credential, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"add machine credential '{credential.Name}'",
            async (transaction, ct) =>
            {
                await using (var insert = transaction.Sql(
                    $"INSERT INTO machine_credentials ({CredentialColumns}) VALUES ($id, $name, $role, $hash, $created_at, $expires_at, $revoked_at)"))
                {
                    try
                    {
                        await insert
                            .With("$id", credential.Id)
                            .With("$name", credential.Name)
                            .With("$role", RoleWord(credential.Role))
                            .With("$hash", credential.Hash)
                            .With("$created_at", StoredTime.ToUnixMilliseconds(credential.CreatedAt))
                            .With("$expires_at", StoredTime.ToUnixMilliseconds(credential.ExpiresAt))
                            .With("$revoked_at", StoredTime.ToUnixMilliseconds(credential.RevokedAt))
                            .ExecuteNonQueryAsync(ct);
                    }
                    catch (SqliteException exception) when (
                        SqliteErrors.IsDuplicate(exception, "machine_credentials.name") || SqliteErrors.IsDuplicate(exception, "machine_credentials.id")
                        || SqliteErrors.IsDuplicate(exception, "machine_credentials.hash"))
                    {
                        throw new StorageException(StorageError.Conflict, $"a machine credential named '{credential.Name}' exists", exception);
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<MachineCredentialRecord?> FindMachineCredentialByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return _database.QuerySingleAsync(
            "find a machine credential", $"SELECT {CredentialColumns} FROM machine_credentials WHERE hash = $value", hash, ReadCredential, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineCredentialRecord>> ListMachineCredentialsAsync(CancellationToken cancellationToken = default) =>
        _database.QueryListAsync(
            "list machine credentials", $"SELECT {CredentialColumns} FROM machine_credentials ORDER BY name", null, ReadCredential, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeMachineCredentialAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RevokeAsync("machine_credentials", "machine credential", id, at, audit, cancellationToken);
    }

    /// <summary>Re-wraps every TOTP secret inside the caller's transaction (a master key rotation). Returns how many.</summary>
    internal static Task<int> RewrapAllAsync(
        SqliteTransaction transaction, Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, CancellationToken cancellationToken) =>
        SealedColumns.RewrapAsync(transaction, "operator_totp", "TOTP secret", rewrap, newMasterKeyId, cancellationToken);

    internal static string RoleWord(OperatorRole role) => role switch
    {
        OperatorRole.Viewer => "viewer",
        OperatorRole.Operator => "operator",
        OperatorRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown operator role"),
    };

    internal static OperatorRole ParseRole(string word) => word switch
    {
        "viewer" => OperatorRole.Viewer,
        "operator" => OperatorRole.Operator,
        "admin" => OperatorRole.Admin,
        _ => throw new StorageException(StorageError.Incompatible, $"unknown operator role '{word}' in the store"),
    };

    private Task<bool> RevokeAsync(string table, string what, string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        AuditChain.ThrowIfInvalid(audit);
        return _database.WriteAsync(
            $"revoke {what} '{id}'",
            async (transaction, ct) =>
            {
                await using (var revoke = transaction.Sql($"UPDATE {table} SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL"))
                {
                    if (await revoke.With("$at", StoredTime.ToUnixMilliseconds(at)).With("$id", id).ExecuteNonQueryAsync(ct) == 0)
                    {
                        return false;
                    }
                }

                await SqliteAuditStore.AppendInTransactionAsync(transaction, [audit], ct);
                return true;
            },
            cancellationToken);
    }

    private static async Task<bool> IsEnrolledAsync(SqliteTransaction transaction, string operatorId, CancellationToken cancellationToken)
    {
        await using var read = transaction.Sql("SELECT count(*) FROM operator_totp WHERE id = $id AND confirmed_at IS NOT NULL");
        return await read.With("$id", operatorId).ScalarAsync<long>(cancellationToken) == 1;
    }

    // A TOTP step later than the last accepted one, or an unused recovery code.
    private static async Task<bool> CanConsumeAsync(SqliteTransaction transaction, string operatorId, SecondFactor factor, CancellationToken cancellationToken)
    {
        if (factor.TotpStep is { } step)
        {
            await using var read = transaction.Sql("SELECT count(*) FROM operators WHERE id = $id AND (last_totp_step IS NULL OR last_totp_step < $step)");
            return await read.With("$id", operatorId).With("$step", step).ScalarAsync<long>(cancellationToken) == 1;
        }

        if (factor.RecoveryCodeHash is { } hash)
        {
            await using var read = transaction.Sql("SELECT count(*) FROM operator_recovery_codes WHERE operator_id = $id AND hash = $hash AND used_at IS NULL");
            return await read.With("$id", operatorId).With("$hash", hash).ScalarAsync<long>(cancellationToken) == 1;
        }

        return false;
    }

    // Uses up a factor CanConsumeAsync accepted in the same transaction.
    private static async Task ConsumeAsync(SqliteTransaction transaction, string operatorId, SecondFactor factor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var use = factor.TotpStep is { } step
            ? transaction.Sql("UPDATE operators SET last_totp_step = $step WHERE id = $id").With("$step", step)
            : transaction.Sql("UPDATE operator_recovery_codes SET used_at = $at WHERE operator_id = $id AND hash = $hash")
                .With("$at", StoredTime.ToUnixMilliseconds(at)).With("$hash", factor.RecoveryCodeHash);
        await use.With("$id", operatorId).ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string?> RoleOfAsync(SqliteTransaction transaction, string operatorId, CancellationToken cancellationToken)
    {
        await using var read = transaction.Sql("SELECT role FROM operators WHERE id = $id");
        return await read.With("$id", operatorId).ScalarAsync<string>(cancellationToken);
    }

    private static async Task<long> CountAdminsAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var count = transaction.Sql("SELECT count(*) FROM operators WHERE role = 'admin'");
        return await count.ScalarAsync<long>(cancellationToken);
    }

    private static OperatorRecord ReadOperator(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)), reader.GetString(3), reader.GetInstant(4))
        {
            TotpSecret = reader.IsDBNull(5) ? null : new SealedSecret(reader.GetBlob(5), reader.GetBlob(6), reader.GetString(7)),
            TotpConfirmedAt = reader.GetNullableInstant(8),
            LastTotpStep = reader.IsDBNull(9) ? null : reader.GetInt64(9),
            RecoveryCodesLeft = reader.GetInt32(10),
            FailedAttempts = reader.GetInt32(11),
            LastFailureAt = reader.GetNullableInstant(12),
            LockedUntil = reader.GetNullableInstant(13),
            LastSeenAt = reader.GetNullableInstant(14),
        };

    private static OperatorSessionRecord ReadSession(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetBlob(2), reader.GetInstant(3), reader.GetInstant(4), reader.GetInstant(5))
        {
            RevokedAt = reader.GetNullableInstant(6),
            SteppedUpAt = reader.GetNullableInstant(7),
        };

    private static MachineCredentialRecord ReadCredential(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)), reader.GetBlob(3), reader.GetInstant(4), reader.GetInstant(5))
        {
            RevokedAt = reader.GetNullableInstant(6),
        };

    private static InvitationRecord ReadInvitation(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)), reader.GetBlob(3), reader.GetInstant(4), reader.GetInstant(5))
        {
            UsedAt = reader.GetNullableInstant(6),
        };
}
