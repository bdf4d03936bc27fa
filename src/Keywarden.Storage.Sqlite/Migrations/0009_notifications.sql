-- Keywarden schema, version 9: where alerts are sent (webhook targets) and the durable outbox of their deliveries.

-- A webhook's URL may itself be a secret (a Slack incoming-webhook URL is), so the URL and the signing secret are
-- sealed together like an upstream key (ciphertext, wrapped data key, master key id; bound to the target's id).
-- display is the URL with its path elided, for listings.
CREATE TABLE notification_targets (
    id               TEXT PRIMARY KEY NOT NULL,
    format           TEXT NOT NULL CHECK (format IN ('generic', 'slack')),
    min_severity     TEXT NOT NULL CHECK (min_severity IN ('info', 'warning', 'critical')),
    display          TEXT NOT NULL,
    ciphertext       BLOB NOT NULL,
    wrapped_data_key BLOB NOT NULL,
    master_key_id    TEXT NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;

-- One row per alert and target: queued when the alert is raised, tried until delivered (or its target is removed).
-- notice is the alert as Keywarden's generic JSON when raised: never a secret. No foreign key to the target: a
-- removed target's deliveries stay on record, cancelled.
CREATE TABLE notification_deliveries (
    id              INTEGER PRIMARY KEY,
    target_id       TEXT NOT NULL,
    alert_id        TEXT NOT NULL,
    notice          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT,
    UNIQUE (alert_id, target_id)
) STRICT;

CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE state = 'pending';
