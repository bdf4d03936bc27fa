-- Keywarden schema, version 5: what stops an open rotation from going on (a sink that did not take the
-- new key), so that `rotate status` can name it. Cleared by the rotation's next step.
ALTER TABLE rotations ADD COLUMN problem TEXT;
