using Keywarden.Core.Crypto;
using Keywarden.Storage.Sqlite.Json;
using Keywarden.Storage.Sqlite.Migrations;
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
/// </remarks>
public sealed partial class SqliteKeywardenStore : IKeywardenStore, IAuditAppendDiagnostics
{
    private const string MasterKeyIdName = "master_key_id";
    private const string RevisionName = "revision";
    private const int BusyTimeoutMilliseconds = 10_000;

    // Per connection: foreign_keys comes from the connection string. secure_delete overwrites
    // deleted rows, so removed ciphertexts and superseded wrapped data keys do not linger in free pages.
    private static readonly string ConnectionSetup =
        $"PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SqliteAuditAppender _auditAppender;
    private int _disposed;

    private SqliteKeywardenStore(string databasePath, TimeProvider timeProvider)
    {
        DatabasePath = databasePath;
        _timeProvider = timeProvider;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            // Never let SQLite create the file: it would use the default permissions, not 0600.
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // SQLite's busy handler (busy_timeout below) does the waiting; Microsoft.Data.Sqlite retries
            // busy statements until this many seconds have passed, so 1 keeps the total near BusyTimeout.
            DefaultTimeout = 1,
        }.ToString();
        _auditAppender = new SqliteAuditAppender(OpenConnection);
    }

    /// <summary>How long an operation waits for a lock held by another writer before it fails as <see cref="StorageError.Unavailable"/>.</summary>
    public static TimeSpan BusyTimeout => TimeSpan.FromMilliseconds(BusyTimeoutMilliseconds);

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

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
    public static async Task<SqliteKeywardenStore> OpenAsync(string databasePath, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        Guard(() => DatabaseFile.EnsureExists(fullPath), $"cannot create the database file '{fullPath}'");

        var store = new SqliteKeywardenStore(fullPath, timeProvider ?? TimeProvider.System);
        try
        {
            await store.EnableWriteAheadLogAsync(cancellationToken);
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
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        UseConnectionAsync(
            "migrate the schema",
            async (connection, ct) =>
            {
                await SchemaMigrator.MigrateAsync(connection, _timeProvider, DatabasePath, ct);
                return true;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task AddUpstreamAsync(UpstreamRecord upstream, UpstreamKeyRecord currentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(currentKey);
        if (currentKey.Slot != KeySlot.Current)
        {
            throw new ArgumentException($"the first key of an upstream must be its current key, not {currentKey.Slot}", nameof(currentKey));
        }

        if (!string.Equals(currentKey.UpstreamId, upstream.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"key '{currentKey.Id}' belongs to upstream '{currentKey.UpstreamId}', not '{upstream.Id}'", nameof(currentKey));
        }

        return WriteAsync(
            $"add upstream '{upstream.Name}'",
            async (transaction, ct) =>
            {
                await ClaimMasterKeyIdAsync(transaction, currentKey.Secret.MasterKeyId, ct);
                try
                {
                    await using (var insertUpstream = transaction.Sql(
                        $"INSERT INTO upstreams ({Rows.UpstreamColumns}) VALUES ($id, $name, $kind, $datacenter, $base_url, $account_id, $max_key_age_ms, $created_at)"))
                    {
                        await insertUpstream
                            .With("$id", upstream.Id)
                            .With("$name", upstream.Name)
                            .With("$kind", StoredNames.Of(upstream.Kind))
                            .With("$datacenter", upstream.Datacenter)
                            .With("$base_url", upstream.BaseUrl?.OriginalString)
                            .With("$account_id", upstream.AccountId)
                            .With("$max_key_age_ms", StoredTime.ToMilliseconds(upstream.MaxKeyAge))
                            .With("$created_at", StoredTime.ToUnixMilliseconds(upstream.CreatedAt))
                            .ExecuteNonQueryAsync(ct);
                    }

                    await InsertKeyAsync(transaction, currentKey, ct);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstreams.name"))
                {
                    throw new StorageException(StorageError.Conflict, $"an upstream named '{upstream.Name}' already exists", exception);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstreams.id"))
                {
                    throw new StorageException(StorageError.Conflict, $"an upstream with id '{upstream.Id}' already exists", exception);
                }
                catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "upstream_keys.id"))
                {
                    throw new StorageException(StorageError.Conflict, $"a key with id '{currentKey.Id}' already exists", exception);
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<UpstreamRecord?> FindUpstreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return QuerySingleAsync(
            $"find upstream '{name}'",
            $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE name = $value AND removed_at IS NULL",
            name,
            Rows.ReadUpstream,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A removed upstream is not returned, although its row is kept for the history of its tokens.</remarks>
    public Task<UpstreamRecord?> GetUpstreamAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return QuerySingleAsync(
            $"read upstream '{id}'",
            $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE id = $value AND removed_at IS NULL",
            id,
            Rows.ReadUpstream,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Ordered by name, ordinally (byte by byte).</remarks>
    public Task<IReadOnlyList<UpstreamRecord>> ListUpstreamsAsync(CancellationToken cancellationToken = default) =>
        QueryListAsync(
            "list upstreams",
            $"SELECT {Rows.UpstreamColumns} FROM upstreams WHERE removed_at IS NULL ORDER BY name",
            value: null,
            Rows.ReadUpstream,
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Previous keys are listed newest first.</remarks>
    public Task<IReadOnlyList<UpstreamKeyRecord>> ListKeysAsync(string upstreamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamId);
        return QueryListAsync(
            $"list the keys of upstream '{upstreamId}'",
            $"""
            SELECT {Rows.KeyColumns} FROM upstream_keys WHERE upstream_id = $value
            ORDER BY CASE slot WHEN 'current' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, created_at DESC, id
            """,
            upstreamId,
            Rows.ReadKey,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A scan of <c>upstream_keys</c>: no index is needed at the scale of one vault's keys.</remarks>
    public Task<UpstreamKeyRecord?> FindKeyByFingerprintAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return QuerySingleAsync(
            "find a key by fingerprint",
            $"""
            SELECT {Rows.KeyColumns} FROM upstream_keys WHERE fingerprint = lower($value)
            ORDER BY CASE slot WHEN 'current' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, created_at DESC, id LIMIT 1
            """,
            fingerprint,
            Rows.ReadKey,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A non-null <paramref name="accountId"/> is recorded on the key's upstream.</remarks>
    /// <exception cref="StorageException">No key has that id (<see cref="StorageError.NotFound"/>).</exception>
    public Task MarkVerifiedAsync(string keyId, string? accountId, DateTimeOffset verifiedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return WriteAsync(
            $"record the verification of key '{keyId}'",
            async (transaction, ct) =>
            {
                string upstreamId;
                await using (var markKey = transaction.Sql("UPDATE upstream_keys SET verified_at = $verified_at WHERE id = $id RETURNING upstream_id"))
                {
                    upstreamId = await markKey
                        .With("$verified_at", StoredTime.ToUnixMilliseconds(verifiedAt))
                        .With("$id", keyId)
                        .ScalarAsync<string>(ct)
                        ?? throw new StorageException(StorageError.NotFound, $"no key with id '{keyId}' exists");
                }

                if (accountId is not null)
                {
                    await using var markUpstream = transaction.Sql("UPDATE upstreams SET account_id = $account_id WHERE id = $id");
                    await markUpstream.With("$account_id", accountId).With("$id", upstreamId).ExecuteNonQueryAsync(ct);
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The upstream's row is kept, marked removed, so that its tokens (revoked here, not deleted) keep
    /// their history; its name becomes free for a new upstream. Its keys are deleted and overwritten.
    /// </remarks>
    public async Task<bool> RemoveUpstreamAsync(string name, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var removed = await WriteAsync(
            $"remove upstream '{name}'",
            async (transaction, ct) =>
            {
                string? id;
                await using (var find = transaction.Sql("SELECT id FROM upstreams WHERE name = $name AND removed_at IS NULL"))
                {
                    id = await find.With("$name", name).ScalarAsync<string>(ct);
                }

                if (id is null)
                {
                    return false;
                }

                var at = StoredTime.ToUnixMilliseconds(revokedAt);
                // An open rotation of a removed upstream can never finish: it ends as aborted, on record; its sinks go.
                await using var remove = transaction.Sql("""
                    UPDATE tokens SET revoked_at = $at WHERE upstream_id = $id AND revoked_at IS NULL;
                    INSERT INTO rotation_history (rotation_id, step, from_state, to_state, actor, why, at)
                        SELECT r.id, (SELECT MAX(h.step) + 1 FROM rotation_history h WHERE h.rotation_id = r.id), r.state, 'aborted',
                               'keywarden', 'the upstream was removed', $at
                        FROM rotations r WHERE r.upstream_id = $id AND r.state NOT IN ('revoked', 'aborted');
                    UPDATE rotations SET state = 'aborted', updated_at = $at WHERE upstream_id = $id AND state NOT IN ('revoked', 'aborted');
                    DELETE FROM upstream_sinks WHERE upstream_id = $id;
                    DELETE FROM upstream_keys WHERE upstream_id = $id;
                    UPDATE upstreams SET removed_at = $at WHERE id = $id;
                    """);
                await remove.With("$at", at).With("$id", id).ExecuteNonQueryAsync(ct);
                return true;
            },
            cancellationToken);

        if (removed)
        {
            await TruncateWriteAheadLogAsync(cancellationToken);
        }

        return removed;
    }

    /// <inheritdoc />
    /// <exception cref="StorageException">
    /// The upstream does not exist or was removed (<see cref="StorageError.NotFound"/>); the id or hash is taken (<see cref="StorageError.Conflict"/>).
    /// </exception>
    public Task AddTokenAsync(TokenRecord token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(token.Hash);
        return WriteAsync(
            $"add token '{token.Id}'",
            async (transaction, ct) =>
            {
                await InsertTokenAsync(transaction, token, ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<TokenRecord?> FindTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return QuerySingleAsync($"find token '{id}'", $"SELECT {Rows.TokenColumns} FROM tokens WHERE id = $value", id, Rows.ReadToken, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TokenRecord?> FindTokenByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return QuerySingleAsync("find a token by hash", $"SELECT {Rows.TokenColumns} FROM tokens WHERE hash = $value", hash, Rows.ReadToken, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Tokens of removed upstreams are included (revoked).</remarks>
    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        QueryListAsync(
            "list tokens",
            $"SELECT {Rows.TokenColumns} FROM tokens ORDER BY created_at DESC, id DESC",
            value: null,
            Rows.ReadToken,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WriteAsync(
            $"revoke token '{id}'",
            async (transaction, ct) =>
            {
                // coalesce keeps the first revocation time; the row still counts as matched.
                await using var command = transaction.Sql("UPDATE tokens SET revoked_at = coalesce(revoked_at, $at) WHERE id = $id");
                var matched = await command.With("$at", StoredTime.ToUnixMilliseconds(revokedAt)).With("$id", id).ExecuteNonQueryAsync(ct);
                return matched == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Kept in <c>meta</c> and moved by triggers on <c>upstreams</c>, <c>upstream_keys</c> and <c>tokens</c>, so no write can forget it.</remarks>
    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        UseConnectionAsync(
            "read the revision",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("SELECT CAST(value AS INTEGER) FROM meta WHERE key = $key");
                return await command.With("$key", RevisionName).ScalarAsync<long>(ct);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetMasterKeyIdAsync(CancellationToken cancellationToken = default) =>
        UseConnectionAsync(
            "read the master key id",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("SELECT value FROM meta WHERE key = $key");
                return await command.With("$key", MasterKeyIdName).ScalarAsync<string>(ct);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <exception cref="StorageException">A different master key id is recorded (<see cref="StorageError.Conflict"/>).</exception>
    public Task SetMasterKeyIdAsync(string masterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(masterKeyId);
        return WriteAsync(
            "record the master key id",
            async (transaction, ct) =>
            {
                await ClaimMasterKeyIdAsync(transaction, masterKeyId, ct);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The callback runs inside the write transaction; if it throws, its exception propagates unchanged
    /// and nothing is written. It must return a secret sealed for <paramref name="newMasterKeyId"/>.
    /// </remarks>
    public async Task<int> RewrapAllAsync(Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrap);
        ArgumentException.ThrowIfNullOrWhiteSpace(newMasterKeyId);
        var count = await WriteAsync(
            "re-wrap the stored keys",
            async (transaction, ct) =>
            {
                List<(string Id, SealedSecret Secret)> keys;
                await using (var read = transaction.Sql("SELECT id, ciphertext, wrapped_data_key, master_key_id FROM upstream_keys ORDER BY id"))
                {
                    keys = await read.ListAsync(r => (r.GetString(0), new SealedSecret(r.GetBlob(1), r.GetBlob(2), r.GetString(3))), ct);
                }

                foreach (var (id, secret) in keys)
                {
                    ct.ThrowIfCancellationRequested();
                    var rewrapped = rewrap(id, secret)
                        ?? throw new InvalidOperationException($"re-wrapping key '{id}' returned null");
                    if (!string.Equals(rewrapped.MasterKeyId, newMasterKeyId, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException(
                            $"re-wrapping key '{id}' gave a secret for master key {rewrapped.MasterKeyId}, expected {newMasterKeyId}");
                    }

                    await using var update = transaction.Sql(
                        "UPDATE upstream_keys SET ciphertext = $ciphertext, wrapped_data_key = $wrapped_data_key, master_key_id = $master_key_id WHERE id = $id");
                    await update
                        .With("$ciphertext", rewrapped.Ciphertext)
                        .With("$wrapped_data_key", rewrapped.WrappedDataKey)
                        .With("$master_key_id", rewrapped.MasterKeyId)
                        .With("$id", id)
                        .ExecuteNonQueryAsync(ct);
                }

                await using (var record = transaction.Sql(
                    "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
                {
                    await record.With("$key", MasterKeyIdName).With("$value", newMasterKeyId).ExecuteNonQueryAsync(ct);
                }

                return keys.Count;
            },
            cancellationToken);

        await TruncateWriteAheadLogAsync(cancellationToken);
        return count;
    }

    /// <summary>Closes the pooled connections of this database.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _auditAppender.Dispose();
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

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

    /// <summary>Records <paramref name="masterKeyId"/> when the store has none; refuses a different one.</summary>
    private static async Task ClaimMasterKeyIdAsync(SqliteTransaction transaction, string masterKeyId, CancellationToken cancellationToken)
    {
        await using (var insert = transaction.Sql("INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO NOTHING"))
        {
            await insert.With("$key", MasterKeyIdName).With("$value", masterKeyId).ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = transaction.Sql("SELECT value FROM meta WHERE key = $key");
        var recorded = await read.With("$key", MasterKeyIdName).ScalarAsync<string>(cancellationToken);
        if (!string.Equals(recorded, masterKeyId, StringComparison.Ordinal))
        {
            throw new StorageException(
                StorageError.Conflict,
                $"this store's secrets are sealed with master key {recorded}, not {masterKeyId}: "
                + "use the original KEYWARDEN_MASTER_KEY or key file, or rotate the master key first");
        }
    }

    /// <exception cref="StorageException">Unknown or removed upstream (<see cref="StorageError.NotFound"/>), id or hash taken (<see cref="StorageError.Conflict"/>).</exception>
    private static async Task InsertTokenAsync(SqliteTransaction transaction, TokenRecord token, CancellationToken cancellationToken)
    {
        // Selecting from upstreams makes "unknown or removed upstream" an empty insert, not a guess from a constraint message.
        await using var insert = transaction.Sql($"""
            INSERT INTO tokens ({Rows.TokenColumns})
            SELECT $id, $name, id, $hash, $policy, $created_at, $revoked_at FROM upstreams WHERE id = $upstream_id AND removed_at IS NULL
            """);
        int inserted;
        try
        {
            inserted = await insert
                .With("$id", token.Id)
                .With("$name", token.Name)
                .With("$hash", token.Hash)
                .With("$policy", PolicyJson.Serialize(token.Policy, token.SupersededBy))
                .With("$created_at", StoredTime.ToUnixMilliseconds(token.CreatedAt))
                .With("$revoked_at", StoredTime.ToUnixMilliseconds(token.RevokedAt))
                .With("$upstream_id", token.UpstreamId)
                .ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "tokens.id"))
        {
            throw new StorageException(StorageError.Conflict, $"a token with id '{token.Id}' already exists", exception);
        }
        catch (SqliteException exception) when (SqliteErrors.IsDuplicate(exception, "tokens.hash"))
        {
            throw new StorageException(StorageError.Conflict, $"token '{token.Id}' has the same hash as a stored token", exception);
        }

        if (inserted == 0)
        {
            throw new StorageException(StorageError.NotFound, $"no upstream with id '{token.UpstreamId}' exists (it may have been removed)");
        }
    }

    private static async Task InsertKeyAsync(SqliteTransaction transaction, UpstreamKeyRecord key, CancellationToken cancellationToken)
    {
        await using var insert = transaction.Sql($"""
            INSERT INTO upstream_keys ({Rows.KeyColumns})
            VALUES ($id, $upstream_id, $slot, $prefix, $label, $fingerprint, $ciphertext, $wrapped_data_key, $master_key_id, $created_at, $verified_at)
            """);
        await insert
            .With("$id", key.Id)
            .With("$upstream_id", key.UpstreamId)
            .With("$slot", StoredNames.Of(key.Slot))
            .With("$prefix", key.Prefix)
            .With("$label", key.Label)
            .With("$fingerprint", key.Fingerprint)
            .With("$ciphertext", key.Secret.Ciphertext)
            .With("$wrapped_data_key", key.Secret.WrappedDataKey)
            .With("$master_key_id", key.Secret.MasterKeyId)
            .With("$created_at", StoredTime.ToUnixMilliseconds(key.CreatedAt))
            .With("$verified_at", StoredTime.ToUnixMilliseconds(key.VerifiedAt))
            .ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task EnableWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        var mode = await UseConnectionAsync(
            "enable write-ahead logging",
            async (connection, ct) =>
            {
                await using var command = connection.Sql("PRAGMA journal_mode = WAL");
                return await command.ScalarAsync<string>(ct);
            },
            cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException(
                StorageError.Unavailable,
                $"the SQLite database '{DatabasePath}' cannot use write-ahead logging (journal mode stayed '{mode}'): keep it on a local file system");
        }
    }

    /// <summary>
    /// Copies the log into the database and empties it, so that overwritten secrets do not survive
    /// in old log frames. Best effort: the change is already committed, and a busy checkpoint is
    /// repeated by SQLite later.
    /// </summary>
    private async Task TruncateWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.Sql("PRAGMA wal_checkpoint(TRUNCATE)");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException)
        {
            // The removal or re-wrap committed; failing the call now would tell the caller it did not.
        }
    }

    /// <summary>A connection set up as every other (for the audit appender, which works synchronously).</summary>
    private SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var setup = connection.Sql(ConnectionSetup);
            setup.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var setup = connection.Sql(ConnectionSetup);
            await setup.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<T> UseConnectionAsync<T>(string action, Func<SqliteConnection, CancellationToken, Task<T>> use, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            return await use(connection, cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.ToStorageException(exception, action, DatabasePath);
        }
    }

    /// <summary>The row <paramref name="sql"/> selects with <c>$value</c> bound to <paramref name="value"/>, or null.</summary>
    private Task<T?> QuerySingleAsync<T>(string action, string sql, object value, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class =>
        UseConnectionAsync(
            action,
            async (connection, ct) =>
            {
                await using var command = connection.Sql(sql);
                return await command.With("$value", value).SingleOrDefaultAsync(read, ct);
            },
            cancellationToken);

    /// <summary>The rows <paramref name="sql"/> selects, with <c>$value</c> bound to <paramref name="value"/> when given.</summary>
    private Task<IReadOnlyList<T>> QueryListAsync<T>(string action, string sql, object? value, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        UseConnectionAsync<IReadOnlyList<T>>(
            action,
            async (connection, ct) =>
            {
                await using var command = connection.Sql(sql);
                if (value is not null)
                {
                    command.With("$value", value);
                }

                return await command.ListAsync(read, ct);
            },
            cancellationToken);

    private Task<T> WriteAsync<T>(string action, Func<SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        UseConnectionAsync(
            action,
            async (connection, ct) =>
            {
                // BEGIN IMMEDIATE takes the write lock first, so concurrent writers queue on the busy
                // timeout instead of failing when a read lock cannot be upgraded.
                await using var transaction = connection.BeginTransaction(deferred: false);
                var result = await write(transaction, ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            cancellationToken);
}
