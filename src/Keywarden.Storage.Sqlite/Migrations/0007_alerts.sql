-- Keywarden schema, version 7: anomaly alerts (issue 12). One row per run of one anomaly (its dedup
-- key) from its first raise until it is resolved; repeats count into it. Alerts do not move the
-- revision: the gateway serves nothing from them. No foreign keys: an alert outlives its token.
CREATE TABLE alerts (
    id               TEXT PRIMARY KEY NOT NULL,
    detector         TEXT NOT NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    token_id         TEXT,
    upstream_id      TEXT,
    client           TEXT,
    dedup_key        TEXT NOT NULL,
    first_time       INTEGER NOT NULL,
    last_time        INTEGER NOT NULL,
    count            INTEGER NOT NULL CHECK (count >= 1),
    first_why        TEXT NOT NULL,
    last_why         TEXT NOT NULL,
    learning         INTEGER NOT NULL CHECK (learning IN (0, 1)),
    state            TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    acknowledged_by  TEXT,
    acknowledged_at  INTEGER,
    acknowledge_note TEXT,
    resolved_by      TEXT,
    resolved_at      INTEGER,
    resolve_note     TEXT,
    action           TEXT
) STRICT;

-- One live alert per anomaly: a raise of a key that has an open or acknowledged alert counts into it
-- (INSERT … ON CONFLICT (dedup_key) WHERE state <> 'resolved' DO UPDATE), whichever instance raises it.
CREATE UNIQUE INDEX alerts_one_live_per_key ON alerts (dedup_key) WHERE state <> 'resolved';

-- The listings: newest last seen first, by state (the default: open and acknowledged), by token, by detector.
CREATE INDEX alerts_by_state ON alerts (state, last_time DESC, id DESC);
CREATE INDEX alerts_by_token ON alerts (token_id, last_time DESC, id DESC) WHERE token_id IS NOT NULL;
CREATE INDEX alerts_by_last_time ON alerts (last_time DESC, id DESC);
