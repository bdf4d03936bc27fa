-- Keywarden schema, version 11: tokens listed a page at a time, newest first (ITokenStore.ListTokensPageAsync, the
-- admin API's GET /v1/tokens): keyset pages over this index cost the same on page 1 and page 1 000.
CREATE INDEX tokens_created ON tokens (created_at DESC, id DESC);
