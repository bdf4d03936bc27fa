-- Keywarden schema, version 2: the hash-chained audit log, and the revision counter that tells a
-- gateway's in-memory cache when upstreams, keys or tokens changed.

-- One row per gateway request and per administrative action. sequence runs 1, 2, 3… without gaps;
-- hash = SHA-256(prev_hash || canonical encoding of the row), see docs/architecture.md.
-- No foreign keys: a record outlives whatever it names. Never a secret or a body.
CREATE TABLE audit (
    sequence        INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
    time_ms         INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('request', 'admin')),
    token_id        TEXT,
    upstream_id     TEXT,
    key_id          TEXT,
    client          TEXT,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
    rule            TEXT NOT NULL,
    upstream_status INTEGER,
    latency_ms      REAL NOT NULL,
    bytes_in        INTEGER NOT NULL,
    bytes_out       INTEGER NOT NULL,
    actor           TEXT,
    detail          TEXT,
    prev_hash       BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash            BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

-- Append-only by default. This stops mistakes, not an attacker (who can drop the triggers):
-- catching an attacker is the hash chain's job (keywarden audit verify).
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;

-- The revision moves in the same transaction as every write to upstreams, upstream_keys and
-- tokens, whichever code path makes it. Triggers fire per row, so one write may move it by more
-- than one: readers only compare it for change.
INSERT INTO meta (key, value) VALUES ('revision', '0');

CREATE TRIGGER upstreams_revision_insert AFTER INSERT ON upstreams
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstreams_revision_update AFTER UPDATE ON upstreams
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstreams_revision_delete AFTER DELETE ON upstreams
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstream_keys_revision_insert AFTER INSERT ON upstream_keys
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstream_keys_revision_update AFTER UPDATE ON upstream_keys
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstream_keys_revision_delete AFTER DELETE ON upstream_keys
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER tokens_revision_insert AFTER INSERT ON tokens
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER tokens_revision_update AFTER UPDATE ON tokens
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER tokens_revision_delete AFTER DELETE ON tokens
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;
