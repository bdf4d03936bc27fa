-- Keywarden schema, version 3: key rotations (one open per upstream), their history, and the
-- sinks that receive a new key for applications that cannot use the gateway.
-- The per-upstream maximum key age is upstreams.max_key_age_ms (version 1; 90 days by default).

CREATE TABLE rotations (
    id          TEXT PRIMARY KEY NOT NULL,
    upstream_id TEXT NOT NULL REFERENCES upstreams (id),
    state       TEXT NOT NULL CHECK (state IN ('requested', 'awaiting-new-key', 'verifying', 'staged', 'promoted',
                                               'awaiting-revocation', 'revoked', 'aborted')),
    reason      TEXT NOT NULL CHECK (reason IN ('scheduled', 'leak', 'manual')),
    note        TEXT,
    -- The key being replaced (current when the rotation opened) and the submitted one, once staged.
    -- No foreign keys: the rows are deleted (revoked or aborted) while the rotation stays on record.
    old_key_id  TEXT NOT NULL,
    new_key_id  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- At most one open rotation per upstream.
CREATE UNIQUE INDEX rotations_one_open ON rotations (upstream_id) WHERE state NOT IN ('revoked', 'aborted');

-- Every step, in order; step 1 opens the rotation (from_state NULL).
CREATE TABLE rotation_history (
    rotation_id TEXT NOT NULL REFERENCES rotations (id),
    step        INTEGER NOT NULL CHECK (step >= 1),
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    why         TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (rotation_id, step)
) STRICT;

CREATE TABLE upstream_sinks (
    id          TEXT PRIMARY KEY NOT NULL,
    upstream_id TEXT NOT NULL REFERENCES upstreams (id),
    spec        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX upstream_sinks_upstream ON upstream_sinks (upstream_id);

-- Rotations and sinks move the revision too, so every rotation step is one revision.
CREATE TRIGGER rotations_revision_insert AFTER INSERT ON rotations
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER rotations_revision_update AFTER UPDATE ON rotations
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstream_sinks_revision_insert AFTER INSERT ON upstream_sinks
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;

CREATE TRIGGER upstream_sinks_revision_delete AFTER DELETE ON upstream_sinks
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
END;
