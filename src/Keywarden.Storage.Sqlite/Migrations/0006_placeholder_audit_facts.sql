-- PLACEHOLDER, changes nothing. Version 6 belongs to the audit facts (issue 12, item 2), built on another branch as
-- 0006_audit_facts.sql; this file only keeps the versions gapless (MigrationCatalog) so that 0008 can run on this branch.
-- Delete it when the real 0006 is merged: the catalog refuses two files of one version, so no test passes until then.
SELECT 1;
