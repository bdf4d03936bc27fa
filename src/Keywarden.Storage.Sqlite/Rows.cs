using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Rotation;
using Keywarden.Storage.Sqlite.Json;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>The column lists of each table and how a row becomes a record. Readers rely on the column order given here.</summary>
internal static class Rows
{
    public const string UpstreamColumns = "id, name, kind, datacenter, base_url, account_id, max_key_age_ms, created_at";

    public const string KeyColumns =
        "id, upstream_id, slot, prefix, label, fingerprint, ciphertext, wrapped_data_key, master_key_id, created_at, verified_at";

    public const string TokenColumns = "id, name, upstream_id, hash, policy, created_at, revoked_at, decoy, suspended_at, suspended_reason, on_anomaly";

    public const string AuditColumns =
        "sequence, time_ms, kind, token_id, upstream_id, key_id, client, method, path, decision, rule, "
        + "upstream_status, latency_ms, bytes_in, bytes_out, actor, detail, prev_hash, hash, recipients, from_domain, user_agent";

    public const string RotationColumns = "id, upstream_id, state, reason, note, old_key_id, new_key_id, created_at, updated_at";

    /// <summary>What <see cref="ReadRotation"/> reads: the columns a rotation is created with, and its problem.</summary>
    public const string RotationReadColumns = RotationColumns + ", problem";

    public static RotationRecord ReadRotation(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        UpstreamId: reader.GetString(1),
        State: StoredNames.ParseRotationState(reader.GetString(2)),
        Reason: RotationMachine.ParseReason(reader.GetString(3)) ?? throw StoredNames.Unknown("rotation reason", reader.GetString(3)),
        Note: reader.GetNullableString(4),
        OldKeyId: reader.GetString(5),
        NewKeyId: reader.GetNullableString(6),
        CreatedAt: reader.GetInstant(7),
        UpdatedAt: reader.GetInstant(8))
    {
        Problem = reader.GetNullableString(9),
    };

    public static RotationTransition ReadTransition(SqliteDataReader reader) => new(
        From: reader.GetNullableString(0) is { } from ? StoredNames.ParseRotationState(from) : null,
        To: StoredNames.ParseRotationState(reader.GetString(1)),
        Actor: reader.GetString(2),
        Why: reader.GetString(3),
        At: reader.GetInstant(4));

    public static UpstreamRecord ReadUpstream(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Kind: StoredNames.ParseKind(reader.GetString(2)),
        Datacenter: reader.GetNullableString(3),
        BaseUrl: reader.GetNullableString(4) is { } url ? new Uri(url, UriKind.RelativeOrAbsolute) : null,
        AccountId: reader.GetNullableString(5),
        MaxKeyAge: StoredTime.FromMilliseconds(reader.GetInt64(6)),
        CreatedAt: reader.GetInstant(7));

    public static UpstreamKeyRecord ReadKey(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        UpstreamId: reader.GetString(1),
        Slot: StoredNames.ParseSlot(reader.GetString(2)),
        Prefix: reader.GetString(3),
        Label: reader.GetNullableString(4),
        Fingerprint: reader.GetString(5),
        Secret: new SealedSecret(reader.GetBlob(6), reader.GetBlob(7), reader.GetString(8)),
        CreatedAt: reader.GetInstant(9),
        VerifiedAt: reader.GetNullableInstant(10));

    public static TokenRecord ReadToken(SqliteDataReader reader)
    {
        var id = reader.GetString(0);
        var policy = PolicyJson.Deserialize(reader.GetString(4), id, out var supersededBy);
        return new TokenRecord(
            Id: id,
            Name: reader.GetString(1),
            UpstreamId: reader.GetString(2),
            Hash: reader.GetBlob(3),
            Policy: policy,
            CreatedAt: reader.GetInstant(5),
            RevokedAt: reader.GetNullableInstant(6))
        {
            SupersededBy = supersededBy,
            Decoy = reader.GetInt64(7) != 0,
            Suspension = reader.GetNullableInstant(8) is { } suspendedAt ? new TokenSuspension(suspendedAt, reader.GetString(9)) : null,
            OnAnomaly = reader.GetNullableString(10) is { } response ? StoredNames.ParseAnomalyResponse(response) : null,
        };
    }

    public const string AlertColumns =
        "id, detector, severity, token_id, upstream_id, client, dedup_key, first_time, last_time, count, first_why, last_why, learning, state, "
        + "acknowledged_by, acknowledged_at, acknowledge_note, resolved_by, resolved_at, resolve_note, action";

    public static AlertRecord ReadAlert(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        Detector: reader.GetString(1),
        Severity: StoredNames.ParseSeverity(reader.GetString(2)),
        TokenId: reader.GetNullableString(3),
        UpstreamId: reader.GetNullableString(4),
        Client: reader.GetNullableString(5),
        DedupKey: reader.GetString(6),
        FirstTime: reader.GetInstant(7),
        LastTime: reader.GetInstant(8),
        Count: reader.GetInt64(9),
        FirstWhy: reader.GetString(10),
        LastWhy: reader.GetString(11),
        Learning: reader.GetInt64(12) != 0,
        State: StoredNames.ParseAlertState(reader.GetString(13)))
    {
        AcknowledgedBy = reader.GetNullableString(14),
        AcknowledgedAt = reader.GetNullableInstant(15),
        AcknowledgeNote = reader.GetNullableString(16),
        ResolvedBy = reader.GetNullableString(17),
        ResolvedAt = reader.GetNullableInstant(18),
        ResolveNote = reader.GetNullableString(19),
        Action = reader.GetNullableString(20),
    };

    public const string CheckpointColumns = "sequence, hash, time_ms, source";

    public static AuditCheckpoint ReadCheckpoint(SqliteDataReader reader) => new(
        Sequence: reader.GetInt64(0),
        Hash: reader.GetBlob(1),
        Time: reader.GetInstant(2),
        Source: reader.GetString(3));

    public static AuditRecord ReadAudit(SqliteDataReader reader) => new(
        Sequence: reader.GetInt64(0),
        Entry: new AuditEntry(
            Time: reader.GetInstant(1),
            Kind: StoredNames.ParseAuditKind(reader.GetString(2)),
            TokenId: reader.GetNullableString(3),
            UpstreamId: reader.GetNullableString(4),
            KeyId: reader.GetNullableString(5),
            ClientAddress: reader.GetNullableString(6),
            Method: reader.GetString(7),
            Path: reader.GetString(8),
            Decision: StoredNames.ParseDecision(reader.GetString(9)),
            Rule: reader.GetString(10),
            UpstreamStatus: reader.IsDBNull(11) ? null : reader.GetInt32(11),
            LatencyMs: reader.GetDouble(12),
            BytesIn: reader.GetInt64(13),
            BytesOut: reader.GetInt64(14),
            Actor: reader.GetNullableString(15),
            Detail: reader.GetNullableString(16),
            Recipients: reader.IsDBNull(19) ? null : reader.GetInt32(19),
            FromDomain: reader.GetNullableString(20),
            UserAgent: reader.GetNullableString(21)),
        PreviousHash: reader.GetBlob(17),
        Hash: reader.GetBlob(18));
}
