-- new columns (inside the transaction when DDL is transactional, else just before it)
ALTER TABLE "analytics"."events" ADD COLUMN "extra" TEXT;

-- BEGIN; then
SELECT pg_advisory_xact_lock(-2652623233352322453);
CREATE TEMP TABLE "dw_guard_0123456789abcdef" AS SELECT 1 AS go FROM (SELECT COUNT(*) AS n FROM "analytics"."dagwright_load_ledger" WHERE idempotency_key = E'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \\ quoted') AS l WHERE l.n = 0;
CREATE TEMP TABLE "dw_stage_0123456789abcdef" ("id" BIGINT, "Name" VARCHAR(256), "updated_at" TIMESTAMP, "__dagwright_seq" BIGSERIAL);

-- staging (the stager)
-- COPY … (streamed by the stager)

-- checks (interactive drivers): each must return no row
SELECT COUNT(*) AS n FROM "dw_stage_0123456789abcdef" WHERE "id" IS NULL HAVING COUNT(*) > 0;

-- then; COMMIT
CREATE TEMP TABLE "dw_dedup_0123456789abcdef" AS SELECT DISTINCT ON ("id") s."id", s."Name", s."updated_at" FROM "dw_stage_0123456789abcdef" AS s CROSS JOIN "dw_guard_0123456789abcdef" AS g ORDER BY s."id", s."updated_at" DESC NULLS LAST, s."__dagwright_seq" DESC;
LOCK TABLE "analytics"."events" IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO "analytics"."dagwright_load_ledger" (idempotency_key, fingerprint, load_id, target_table, mode, rows_loaded, rows_inserted, rows_updated, rows_deleted, bytes, objects, committed_at) SELECT E'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \\ quoted', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '0123456789abcdef', 'analytics.events', 'merge', staged.n, written.n - matched.n, matched.n, 0, 123456, 2, (now() AT TIME ZONE 'UTC') FROM "dw_guard_0123456789abcdef" AS g CROSS JOIN (SELECT COUNT(*) AS n FROM "dw_stage_0123456789abcdef") AS staged CROSS JOIN (SELECT COUNT(*) AS n FROM "dw_dedup_0123456789abcdef") AS written CROSS JOIN (SELECT COUNT(*) AS n FROM "dw_dedup_0123456789abcdef" AS s WHERE EXISTS (SELECT 1 FROM "analytics"."events" AS t WHERE t."id" = s."id")) AS matched;
MERGE INTO "analytics"."events" AS t USING "dw_dedup_0123456789abcdef" AS s ON t."id" = s."id" WHEN MATCHED THEN UPDATE SET "Name" = s."Name", "updated_at" = s."updated_at" WHEN NOT MATCHED THEN INSERT ("id", "Name", "updated_at") VALUES (s."id", s."Name", s."updated_at");
DROP TABLE "dw_dedup_0123456789abcdef";
DROP TABLE "dw_stage_0123456789abcdef";
DROP TABLE "dw_guard_0123456789abcdef";
