-- Keywarden schema, version 6: facts the usage monitor needs about each gateway request, never a secret or a
-- body: the recipient count and from-domain of a Transactional send, and the client's User-Agent (at most 200
-- characters). Null in every record written before, which still verify: a record without facts is hashed
-- exactly as before (docs/architecture.md, the audit encoding).
ALTER TABLE audit ADD COLUMN recipients INTEGER CHECK (recipients >= 0);
ALTER TABLE audit ADD COLUMN from_domain TEXT;
ALTER TABLE audit ADD COLUMN user_agent TEXT;
