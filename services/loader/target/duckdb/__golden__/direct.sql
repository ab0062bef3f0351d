-- append, no keys
-- BEGIN; then
-- probe
SELECT (SELECT COUNT(*) FROM "analytics"."dagwright_load_ledger" WHERE idempotency_key = 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \ quoted') AS committed;
-- COPY straight into the table (the stager)
INSERT INTO "analytics"."dagwright_load_ledger" (idempotency_key, fingerprint, load_id, target_table, mode, rows_loaded, rows_inserted, rows_updated, rows_deleted, bytes, objects, committed_at) SELECT 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \ quoted', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '0123456789abcdef', 'analytics.events', 'append', 5000000, 5000000, 0, 0, 123456, 2, CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP);
-- COMMIT

-- merge into an empty table (a nullable key is checked after the copy)
-- BEGIN; then
-- probe
SELECT (SELECT COUNT(*) FROM "analytics"."dagwright_load_ledger" WHERE idempotency_key = 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \ quoted') AS committed, (SELECT COUNT(*) FROM (SELECT 1 AS one FROM "analytics"."events" LIMIT 1) AS o) AS occupied;
-- COPY straight into the table (the stager)
SELECT COUNT(*) AS n FROM "analytics"."events" WHERE "id" IS NULL HAVING COUNT(*) > 0;
INSERT INTO "analytics"."dagwright_load_ledger" (idempotency_key, fingerprint, load_id, target_table, mode, rows_loaded, rows_inserted, rows_updated, rows_deleted, bytes, objects, committed_at) SELECT 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \ quoted', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '0123456789abcdef', 'analytics.events', 'merge', 5000000, 5000000, 0, 0, 123456, 2, CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP);
-- COMMIT

-- replace
-- BEGIN; then
-- probe
SELECT (SELECT COUNT(*) FROM "analytics"."dagwright_load_ledger" WHERE idempotency_key = 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \ quoted') AS committed, (SELECT COUNT(*) FROM "analytics"."events") AS existing;
DELETE FROM "analytics"."events";
-- COPY straight into the table (the stager)
INSERT INTO "analytics"."dagwright_load_ledger" (idempotency_key, fingerprint, load_id, target_table, mode, rows_loaded, rows_inserted, rows_updated, rows_deleted, bytes, objects, committed_at) SELECT 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \ quoted', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '0123456789abcdef', 'analytics.events', 'replace', 5000000, 5000000, 0, 42, 123456, 2, CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP);
-- COMMIT
