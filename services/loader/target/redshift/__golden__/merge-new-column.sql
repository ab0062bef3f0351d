-- new columns (inside the transaction when DDL is transactional, else just before it)
ALTER TABLE "analytics"."events" ADD COLUMN "extra" TEXT;

-- BEGIN; then
LOCK "analytics"."dagwright_load_ledger";
CREATE TEMP TABLE "dw_guard_0123456789abcdef" AS SELECT 1 AS go FROM (SELECT COUNT(*) AS n FROM "analytics"."dagwright_load_ledger" WHERE idempotency_key = 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \\ quoted') AS l WHERE l.n = 0;
CREATE TEMP TABLE "dw_stage_0123456789abcdef" ("id" BIGINT, "Name" VARCHAR(256), "updated_at" TIMESTAMP);

-- staging (the stager)
COPY "dw_stage_0123456789abcdef" ("id", "Name", "updated_at") FROM 's3://dagwright-manifests/loads/0123456789abcdef.manifest' IAM_ROLE 'arn:aws:iam::123456789012:role/dagwright-load' MANIFEST FORMAT AS CSV DELIMITER ',' IGNOREHEADER 1 NULL AS '' TIMEFORMAT 'auto' DATEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF;

-- checks (interactive drivers): each must return no row
SELECT COUNT(*) AS n FROM "dw_stage_0123456789abcdef" WHERE "id" IS NULL HAVING COUNT(*) > 0;

-- checks (the Data API, sent in one piece): a failed check empties the guard, so nothing is written
DELETE FROM "dw_guard_0123456789abcdef" WHERE EXISTS (SELECT 1 FROM "dw_stage_0123456789abcdef" WHERE "id" IS NULL);

-- then; COMMIT
CREATE TEMP TABLE "dw_dedup_0123456789abcdef" AS SELECT s."id", s."Name", s."updated_at" FROM (SELECT "id", "Name", "updated_at", ROW_NUMBER() OVER (PARTITION BY "id" ORDER BY "updated_at" DESC NULLS LAST, "Name" DESC NULLS LAST) AS "__dagwright_rn" FROM "dw_stage_0123456789abcdef") AS s CROSS JOIN "dw_guard_0123456789abcdef" AS g WHERE s."__dagwright_rn" = 1;
INSERT INTO "analytics"."dagwright_load_ledger" (idempotency_key, fingerprint, load_id, target_table, mode, rows_loaded, rows_inserted, rows_updated, rows_deleted, bytes, objects, committed_at) SELECT 'dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it''s \\ quoted', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '0123456789abcdef', 'analytics.events', 'merge', staged.n, written.n - matched.n, matched.n, 0, 123456, 2, GETDATE() FROM "dw_guard_0123456789abcdef" AS g CROSS JOIN (SELECT COUNT(*) AS n FROM "dw_stage_0123456789abcdef") AS staged CROSS JOIN (SELECT COUNT(*) AS n FROM "dw_dedup_0123456789abcdef") AS written CROSS JOIN (SELECT COUNT(*) AS n FROM "dw_dedup_0123456789abcdef" AS s WHERE EXISTS (SELECT 1 FROM "analytics"."events" AS t WHERE t."id" = s."id")) AS matched;
MERGE INTO "analytics"."events" AS t USING "dw_dedup_0123456789abcdef" AS s ON t."id" = s."id" WHEN MATCHED THEN UPDATE SET "Name" = s."Name", "updated_at" = s."updated_at" WHEN NOT MATCHED THEN INSERT ("id", "Name", "updated_at") VALUES (s."id", s."Name", s."updated_at");
DROP TABLE "dw_dedup_0123456789abcdef";
DROP TABLE "dw_stage_0123456789abcdef";
DROP TABLE "dw_guard_0123456789abcdef";
