-- Keywarden schema, version 10: operators (people who administer Keywarden), their sessions, machine credentials and
-- invitations (issue 13). No secret is stored in clear: passwords as Argon2id strings, session tokens, machine
-- credentials, invitation codes and recovery codes as SHA-256 (they are high-entropy), TOTP secrets sealed with the
-- master key. None of these tables feeds the gateway, so none moves the revision.

-- role: viewer < operator < admin. last_totp_step is the time step (Unix seconds / 30) of the last accepted TOTP code:
-- a code must be of a later step, so none is accepted twice. failed_attempts, last_failure_at and locked_until are the
-- account's throttle, cleared by a successful login.
CREATE TABLE operators (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash   TEXT NOT NULL,
    last_totp_step  INTEGER,
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    last_failure_at INTEGER,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER
) STRICT;

-- One TOTP secret per operator, sealed like an upstream key (ciphertext, wrapped data key, master key id; bound to the
-- operator's id, which is this row's id), so a master key rotation re-wraps it with the others. confirmed_at is null
-- while the enrolment awaits its first code: the operator cannot log in until then.
CREATE TABLE operator_totp (
    id               TEXT PRIMARY KEY NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    ciphertext       BLOB NOT NULL,
    wrapped_data_key BLOB NOT NULL,
    master_key_id    TEXT NOT NULL,
    confirmed_at     INTEGER
) STRICT;

-- Ten per enrolment, each usable once in place of a TOTP code.
CREATE TABLE operator_recovery_codes (
    operator_id TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    hash        BLOB NOT NULL,
    used_at     INTEGER,
    PRIMARY KEY (operator_id, hash)
) STRICT;

-- A session ends at expires_at (absolute), after the idle timeout since last_used_at, or when revoked.
CREATE TABLE operator_sessions (
    id            TEXT PRIMARY KEY NOT NULL,
    operator_id   TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    token_hash    BLOB NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    stepped_up_at INTEGER
) STRICT;

CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

CREATE TABLE machine_credentials (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    hash       BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

-- An invitation (or the first admin's setup code) names the operator to be and their role; used once.
CREATE TABLE operator_invitations (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    hash       BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
