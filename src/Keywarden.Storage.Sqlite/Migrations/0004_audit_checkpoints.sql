-- Keywarden schema, version 4: checkpoints of the audit chain's head. The chain alone cannot show
-- that its newest records were cut off, or that the whole log was emptied and restarted at 1: a
-- checkpoint says "record N existed, with this hash", and `audit verify` checks the log still holds
-- it. Written with every admin action, every 1000th record and by `keywarden audit checkpoint`
-- (which can also keep a copy outside the database, where an attacker with the file cannot reach).
CREATE TABLE audit_checkpoints (
    sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
    hash     BLOB NOT NULL CHECK (length(hash) = 32),
    time_ms  INTEGER NOT NULL,
    source   TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;

-- A head that already exists is checkpointed now, so a log upgraded to this version is covered too.
INSERT INTO audit_checkpoints (sequence, hash, time_ms, source)
SELECT sequence, hash, time_ms, 'upgrade' FROM audit ORDER BY sequence DESC LIMIT 1;
