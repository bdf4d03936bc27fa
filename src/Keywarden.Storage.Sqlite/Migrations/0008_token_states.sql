-- Keywarden schema, version 8: decoy tokens, suspended tokens and each token's response to anomalies (issue 12).
-- The revision triggers of version 2 fire on every UPDATE of tokens whatever the column (they are not
-- "UPDATE OF column"), so a suspension or resumption moves the revision and reaches every gateway like a revocation.

-- A decoy is planted to be found and never used: fixed at issue, answered like a revoked token, audited as 'decoy'.
ALTER TABLE tokens ADD COLUMN decoy INTEGER NOT NULL DEFAULT 0 CHECK (decoy IN (0, 1));

-- Set while the token is suspended (by the anomaly monitor or an operator), both or neither; cleared on resume.
-- The history of suspensions is the audit log's (token.suspend, token.resume).
ALTER TABLE tokens ADD COLUMN suspended_at INTEGER;
ALTER TABLE tokens ADD COLUMN suspended_reason TEXT CHECK ((suspended_reason IS NULL) = (suspended_at IS NULL));

-- What an anomaly alert about the token does; NULL follows the server's default.
ALTER TABLE tokens ADD COLUMN on_anomaly TEXT CHECK (on_anomaly IN ('alert', 'suspend'));
