-- Keywarden schema, version 1.
-- Instants and durations are INTEGER milliseconds (instants: since the Unix epoch, UTC).
-- Enumerations are stored as lower-case words, never as ordinals, so reordering a C# enum
-- cannot change the meaning of stored rows.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Removing an upstream keeps its row (removed_at set) so that the tokens issued for it, and
-- anything else that names its id, keep pointing at something: token history is kept for audit.
-- Its keys, ciphertexts included, are deleted.
CREATE TABLE upstreams (
    id                  TEXT PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('marketing', 'transactional')),
    datacenter          TEXT,
    base_url            TEXT,
    account_id          TEXT,
    max_key_age_ms      INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    removed_at          INTEGER
) STRICT;

-- A name is unique among the upstreams in use; a removed upstream's name may be reused.
CREATE UNIQUE INDEX upstreams_name_in_use ON upstreams (name) WHERE removed_at IS NULL;

CREATE TABLE upstream_keys (
    id               TEXT PRIMARY KEY NOT NULL,
    upstream_id      TEXT NOT NULL REFERENCES upstreams (id) ON DELETE CASCADE,
    slot             TEXT NOT NULL CHECK (slot IN ('current', 'pending', 'previous')),
    prefix           TEXT NOT NULL,
    label            TEXT,
    fingerprint      TEXT NOT NULL,
    ciphertext       BLOB NOT NULL,
    wrapped_data_key BLOB NOT NULL,
    master_key_id    TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    verified_at      INTEGER
) STRICT;

CREATE INDEX upstream_keys_upstream ON upstream_keys (upstream_id);

-- At most one current and one pending key per upstream; previous keys may pile up until revoked.
CREATE UNIQUE INDEX upstream_keys_one_live_slot ON upstream_keys (upstream_id, slot)
    WHERE slot IN ('current', 'pending');

-- No cascade: upstreams are marked removed, never deleted, so a token's upstream_id always resolves.
CREATE TABLE tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    upstream_id TEXT NOT NULL REFERENCES upstreams (id),
    hash        BLOB NOT NULL UNIQUE,
    policy      TEXT NOT NULL CHECK (json_valid(policy)),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) STRICT;

CREATE INDEX tokens_upstream ON tokens (upstream_id);
